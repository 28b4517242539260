import ArgumentParser
import FoundationEssentials

/// How a registry's TLS is trusted, for every command that reaches one.
struct TLSOptions: ParsableArguments {
    @Flag(help: "Allow plain HTTP and unverified TLS for this registry.")
    var insecure = false

    @Option(name: .customLong("ca-cert"), help: "A PEM file of extra trusted CA certificates (repeatable).")
    var caCertificateFiles: [String] = []

    /// The `--ca-cert` files' text.
    func caCertificatesPEM() throws -> [String] {
        try caCertificateFiles.map { try String(contentsOfFile: $0, encoding: .utf8) }
    }
}

/// Registry credentials for the human commands: flags first, then the
/// REGISTRY_USERNAME / REGISTRY_PASSWORD environment variables, then the auth
/// files `login` writes (see `AuthFileLocations`).
struct CredentialOptions: ParsableArguments {
    @Option(help: "Registry user name (default: $REGISTRY_USERNAME).")
    var username: String?

    @Option(help: "Registry password (default: $REGISTRY_PASSWORD). Prefer the environment variable: flags show in ps.")
    var password: String?

    @OptionGroup var tls: TLSOptions

    @Option(name: .customLong("authfile"),
            help: "Auth file to read credentials from (default: $REGISTRY_AUTH_FILE, else the usual files).")
    var authFile: String?

    @Flag(help: "Print debug logs on stderr.")
    var debug = false

    func settings() throws -> ToolSettings {
        let environment = ProcessInfo.processInfo.environment
        return ToolSettings(
            username: username ?? environment["REGISTRY_USERNAME"],
            password: password ?? environment["REGISTRY_PASSWORD"],
            insecure: tls.insecure,
            caCertificatesPEM: try tls.caCertificatesPEM(),
            debug: debug,
            authFile: authFile
        )
    }
}

struct PullSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image from a registry into a directory.",
        discussion: """
        Example:
          registry-image pull --format oci-layout --platform linux/arm64 alpine:3.20 ./alpine
        """
    )

    @Argument(help: "Image reference: [host[:port]/]repository[:tag][@sha256:digest].")
    var reference: String

    @Argument(help: "Directory to write into.")
    var destination: String

    @Option(help: "rootfs (default), oci (docker-load-able tarball) or oci-layout.")
    var format: String = "rootfs"

    @Option(help: "Platform to pick from a multi-platform image, as os/architecture[/variant].")
    var platform: String?

    @OptionGroup var credentials: CredentialOptions

    func run() throws {
        try Terminal.reportingFailure {
            try ImageTool.pull(
                reference: reference, destination: destination, format: format, platform: platform,
                settings: try credentials.settings())
        }
    }
}

struct PushSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image from disk (OCI layout, docker-archive or OCI archive) to a registry.",
        discussion: """
        Prints the pushed digest.

        Example:
          registry-image push ./image.tar registry.example.com/team/app:1.2.3 --tag latest
        """
    )

    @Argument(help: "OCI layout directory, docker-archive tarball or OCI archive tarball.")
    var source: String

    @Argument(help: "Destination reference: [host[:port]/]repository[:tag].")
    var reference: String

    @Option(name: .customLong("tag"), help: "Extra tag to push (repeatable).")
    var tags: [String] = []

    @OptionGroup var credentials: CredentialOptions

    func run() throws {
        try Terminal.reportingFailure {
            let digest = try ImageTool.push(
                source: source, reference: reference, extraTags: tags, settings: try credentials.settings())
            print(digest)
        }
    }
}

struct TagsSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List a repository's tags, in the registry's order.",
        discussion: """
        Example:
          registry-image tags --format json ghcr.io/org/app
        """
    )

    @Argument(help: "Repository: [docker://][host[:port]/]repository.")
    var reference: String

    @Option(help: "text (one tag a line) or json ({\"Repository\": ..., \"Tags\": [...]}, as skopeo list-tags).")
    var format: OutputFormat = .text

    @OptionGroup var credentials: CredentialOptions

    func run() throws {
        try Terminal.reportingFailure {
            let name = reference.hasPrefix("docker://") ? String(reference.dropFirst("docker://".count)) : reference
            let tags = try ImageTool.tags(reference: name, settings: try credentials.settings())
            switch format {
            case .text:
                for tag in tags { print(tag) }
            case .json:
                Terminal.writeStandardOutput(try ImageTool.tagsJSON(reference: name, tags: tags))
            }
        }
    }
}

/// `--format` of commands that print for scripts too.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
