import ArgumentParser
import FoundationEssentials
import RegistryClient

/// Where login and logout read and write: the same files other tools use.
struct AuthFileOptions: ParsableArguments {
    @Option(name: .customLong("authfile"),
            help: "Auth file to use (default: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, else ~/.docker/config.json).")
    var authFile: String?

    @Flag(help: "Print debug logs on stderr.")
    var debug = false
}

struct LoginSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check credentials against a registry and store them where docker, podman and skopeo look.",
        discussion: """
        The credentials are stored in the auth file (see --authfile), or through the credential helper \
        (docker-credential-NAME) the file names for the registry in credHelpers or credsStore. pull, push, tags, \
        inspect and copy then use them; --username/--password and REGISTRY_USERNAME/REGISTRY_PASSWORD still win.

        Example:
          registry-image login --username ci --password-stdin registry.example.com < token-file
        """
    )

    @Argument(help: "Registry host[:port], optionally with a repository namespace (host/team).")
    var registry: String

    @Option(name: [.short, .long], help: "User name (default: $REGISTRY_USERNAME).")
    var username: String?

    @Option(name: [.short, .long], help: "Password (default: $REGISTRY_PASSWORD). Flags show in ps: prefer --password-stdin.")
    var password: String?

    @Flag(help: "Read the password from standard input (one trailing newline is dropped).")
    var passwordStdin = false

    @Flag(help: "Print the stored user name for the registry and exit (as skopeo login --get-login).")
    var getLogin = false

    @OptionGroup var tls: TLSOptions

    @OptionGroup var files: AuthFileOptions

    func validate() throws {
        if passwordStdin && password != nil { throw ValidationError("--password and --password-stdin exclude each other") }
    }

    func run() throws {
        try Terminal.reportingFailure {
            let environment = ProcessInfo.processInfo.environment
            let settings = ToolSettings(
                username: nil, password: nil, insecure: tls.insecure, caCertificatesPEM: try tls.caCertificatesPEM(),
                debug: files.debug, authFile: files.authFile)
            if getLogin {
                print(try ImageTool.storedLogin(registry, settings: settings))
                return
            }
            let user = username ?? environment["REGISTRY_USERNAME"] ?? ""
            var secret = password ?? environment["REGISTRY_PASSWORD"] ?? ""
            if passwordStdin {
                secret = String(decoding: try Terminal.readStandardInput(), as: UTF8.self)
                if secret.hasSuffix("\r\n") { secret.removeLast(2) } else if secret.hasSuffix("\n") { secret.removeLast() }
            }
            let stored = try ImageTool.login(
                registry, credentials: RegistryCredentials(username: user, password: secret), settings: settings)
            Terminal.writeError("credentials stored in \(stored)")
            print("Login Succeeded!")
        }
    }
}

struct LogoutSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Remove a registry's stored credentials.",
        discussion: """
        Example:
          registry-image logout registry.example.com
        """
    )

    @Argument(help: "Registry host[:port] (or host/namespace) given to login.")
    var registry: String

    @OptionGroup var files: AuthFileOptions

    func run() throws {
        try Terminal.reportingFailure {
            let settings = ToolSettings(username: nil, password: nil, insecure: false, caCertificatesPEM: [],
                                        debug: files.debug, authFile: files.authFile)
            let origin = try ImageTool.logout(registry, settings: settings)
            print("Removed login credentials for \(registry) from \(origin)")
        }
    }
}
