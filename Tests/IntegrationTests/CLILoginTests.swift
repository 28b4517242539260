import Foundation
import Testing
import TestSupport

/// `login` / `logout` and the auth files through the executable, read back
/// and written by skopeo (the reference for the containers auth format).
@Suite("registry-image login / logout and auth files", .serialized)
struct CLILoginTests {
    /// A home, runtime dir and auth-file setting of the test's own: no file of
    /// the machine's is read or written, and no REGISTRY_* value leaks in.
    struct Home {
        let directory: TemporaryDirectory
        var home: URL { directory.appending("home") }
        var runtime: URL { directory.appending("run") }
        var environment: [String: String] {
            ["HOME": home.path, "XDG_RUNTIME_DIR": runtime.path, "REGISTRY_AUTH_FILE": "", "DOCKER_CONFIG": "",
             "REGISTRY_USERNAME": "", "REGISTRY_PASSWORD": ""]
        }

        init() throws {
            directory = try TemporaryDirectory(prefix: "cli-home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        }
    }

    /// A TLS registry with basic auth holding the test image in `repository`, and a fresh home.
    static func loginWorld(_ repository: String) throws
        -> (registry: TestRegistry, ca: String, user: String, password: String, home: Home, pushed: PushedImage) {
        let registry = try TestRegistry(.basicAuth)
        let ca = try #require(registry.caCertificatePath).path
        let user = try #require(registry.username), password = try #require(registry.password)
        return (registry, ca, user, password, try Home(), try push(PushHarness.image, to: registry, repository: repository))
    }

    static func run(_ arguments: [String], stdin: String = "", _ environment: [String: String]) throws -> CommandResult {
        try ResourceRunner.run(arguments, stdin: Data(stdin.utf8), environment: environment)
    }

    static func skopeoGetLogin(_ registry: TestRegistry, authFile: String? = nil, environment: [String: String]) throws -> CommandResult {
        var arguments = ["login", "--get-login"]
        if let authFile { arguments += ["--authfile", authFile] }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        merged["REGISTRY_AUTH_FILE"] = nil
        return try ExternalCommand.run("skopeo", arguments + [registry.url], environment: merged)
    }

    @Test func loginWritesTheRuntimeAuthFileSkopeoReadsAndLogoutRemovesIt() throws {
        let (registry, ca, user, password, home, pushed) = try Self.loginWorld("auth/app")

        // Before login: refused, and nothing written.
        let anonymous = try Self.run(["tags", "\(registry.url)/auth/app", "--ca-cert", ca], home.environment)
        FetchRequests.expectCleanFailure(anonymous, mentioning: "unauthorized")

        let wrong = try Self.run(["login", registry.url, "-u", user, "--password-stdin", "--ca-cert", ca],
                                 stdin: "not-the-password\n", home.environment)
        FetchRequests.expectCleanFailure(wrong, mentioning: "unauthorized")
        #expect(!wrong.stderr.contains("not-the-password"))
        let authFile = home.runtime.appendingPathComponent("containers/auth.json")
        #expect(!FileManager.default.fileExists(atPath: authFile.path), "a refused login stores nothing")

        let login = try Self.run(["login", registry.url, "-u", user, "--password-stdin", "--ca-cert", ca],
                                 stdin: password + "\n", home.environment)
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdoutString == "Login Succeeded!\n")
        #expect(!login.stderr.contains(password) && !login.stdoutString.contains(password))
        let mode = try #require(FileManager.default.attributesOfItem(atPath: authFile.path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let file = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: authFile)) as? [String: Any])
        let entry = try #require((file["auths"] as? [String: Any])?[registry.url] as? [String: Any])
        #expect(entry["auth"] as? String == Data("\(user):\(password)".utf8).base64EncodedString(),
                "the trailing newline of stdin is not part of the password")

        // skopeo finds it where it looks by default (XDG_RUNTIME_DIR) and by --authfile.
        let skopeo = try Self.skopeoGetLogin(registry, environment: home.environment)
        #expect(skopeo.status == 0, "\(skopeo.stderr)")
        #expect(skopeo.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines) == user)
        let ours = try Self.run(["login", "--get-login", registry.url], home.environment)
        #expect(ours.stdoutString == user + "\n")

        // The stored credentials are used by the by-hand commands.
        let tags = try Self.run(["tags", "\(registry.url)/auth/app", "--ca-cert", ca], home.environment)
        #expect(tags.status == 0, "\(tags.stderr)")
        #expect(tags.stdoutString == PushHarness.image.tag + "\n")
        let inspect = try Self.run(["inspect", "--raw", "docker://\(registry.url)/auth/app:\(PushHarness.image.tag)",
                                    "--ca-cert", ca], home.environment)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(try ExternalDigest.sha256(inspect.stdout) == pushed.manifestDigest)

        let logout = try Self.run(["logout", registry.url], home.environment)
        #expect(logout.status == 0, "\(logout.stderr)")
        let gone = try Self.skopeoGetLogin(registry, environment: home.environment)
        #expect(gone.status != 0, "skopeo still sees a login: \(gone.stdoutString)")
        let again = try Self.run(["logout", registry.url], home.environment)
        FetchRequests.expectCleanFailure(again, mentioning: "not logged in")
        let after = try Self.run(["tags", "\(registry.url)/auth/app", "--ca-cert", ca], home.environment)
        FetchRequests.expectCleanFailure(after, mentioning: "unauthorized")
    }

    @Test func aFileSkopeoWroteIsUsedAndExplicitCredentialsWin() throws {
        let (registry, ca, user, password, home, _) = try Self.loginWorld("auth/skopeo")
        let authFile = home.directory.appending("skopeo-auth.json").path
        try ExternalCommand.check("skopeo", ["login", "--authfile", authFile, "--cert-dir",
                                             try #require(registry.certDirectory).path, "-u", user, "--password-stdin",
                                             registry.url], stdin: Data(password.utf8))

        var environment = home.environment
        environment["REGISTRY_AUTH_FILE"] = authFile
        let tags = try Self.run(["tags", "--format", "json", "\(registry.url)/auth/skopeo", "--ca-cert", ca], environment)
        #expect(tags.status == 0, "\(tags.stderr)")
        let listed = try #require(try ResourceRunner.json(tags) as? [String: Any])
        #expect(listed["Repository"] as? String == "\(registry.url)/auth/skopeo")
        #expect(listed["Tags"] as? [String] == [PushHarness.image.tag])
        let viaFlag = try Self.run(["tags", "\(registry.url)/auth/skopeo", "--ca-cert", ca, "--authfile", authFile],
                                   home.environment)
        #expect(viaFlag.status == 0, "\(viaFlag.stderr)")

        // Flags and REGISTRY_USERNAME/REGISTRY_PASSWORD win over the file.
        var wrongEnvironment = environment
        wrongEnvironment["REGISTRY_USERNAME"] = user
        wrongEnvironment["REGISTRY_PASSWORD"] = "wrong"
        let overridden = try Self.run(["tags", "\(registry.url)/auth/skopeo", "--ca-cert", ca], wrongEnvironment)
        FetchRequests.expectCleanFailure(overridden, mentioning: "unauthorized")
        let flags = try Self.run(["tags", "\(registry.url)/auth/skopeo", "--ca-cert", ca, "--username", user,
                                  "--password", "wrong"], environment)
        FetchRequests.expectCleanFailure(flags, mentioning: "unauthorized")
    }

    @Test func credentialHelpersStoreGetAndErase() throws {
        let (registry, ca, user, password, home, _) = try Self.loginWorld("auth/helper")
        let dockerDirectory = home.home.appendingPathComponent(".docker")
        try FileManager.default.createDirectory(at: dockerDirectory, withIntermediateDirectories: true)
        let config = dockerDirectory.appendingPathComponent("config.json")
        try Data(#"{"credHelpers": {"\#(registry.url)": "test"}, "auths": {}}"#.utf8).write(to: config)
        let store = home.directory.appending("helper-store.json").path
        var environment = home.environment
        environment["XDG_RUNTIME_DIR"] = ""  // docker's file only
        environment["TEST_CREDENTIAL_STORE"] = store
        environment["PATH"] = TestPaths.standIns.appendingPathComponent("credentials").path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let login = try Self.run(["login", registry.url, "-u", user, "--password-stdin", "--ca-cert", ca],
                                 stdin: password, environment)
        #expect(login.status == 0, "\(login.stderr)")
        let records = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store))) as? [String: Any])
        let record = try #require(records[registry.url] as? [String: String])
        #expect(record == ["Username": user, "Secret": password])
        let written = String(decoding: try Data(contentsOf: config), as: UTF8.self)
        #expect(!written.contains(Data("\(user):\(password)".utf8).base64EncodedString()), "no password beside the helper's")

        let tags = try Self.run(["tags", "\(registry.url)/auth/helper", "--ca-cert", ca], environment)
        #expect(tags.status == 0, "\(tags.stderr)")
        let calls = try String(contentsOfFile: store + ".log", encoding: .utf8)
        #expect(calls.split(separator: "\n").map(String.init) == ["store \(registry.url)", "get \(registry.url)"])

        let logout = try Self.run(["logout", registry.url], environment)
        #expect(logout.status == 0, "\(logout.stderr)")
        let emptied = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store))) as? [String: Any])
        #expect(emptied.isEmpty)
        let refused = try Self.run(["tags", "\(registry.url)/auth/helper", "--ca-cert", ca], environment)
        FetchRequests.expectCleanFailure(refused, mentioning: "unauthorized")

        // credsStore serves every host without its own helper; a helper that
        // is not installed is a clear error.
        try Data(#"{"credsStore": "test"}"#.utf8).write(to: config)
        try JSONSerialization.data(withJSONObject: [registry.url: ["Username": user, "Secret": password]])
            .write(to: URL(fileURLWithPath: store))
        let viaStore = try Self.run(["tags", "\(registry.url)/auth/helper", "--ca-cert", ca], environment)
        #expect(viaStore.status == 0, "\(viaStore.stderr)")
        try Data(#"{"credsStore": "absent-helper"}"#.utf8).write(to: config)
        let missing = try Self.run(["tags", "\(registry.url)/auth/helper", "--ca-cert", ca], environment)
        FetchRequests.expectCleanFailure(missing, mentioning: "docker-credential-absent-helper")
    }

    @Test func loginToATokenRegistry() throws {
        let registry = try TestRegistry(.token)
        let ca = try #require(registry.caCertificatePath).path
        let home = try Home()
        let authFile = home.directory.appending("auth.json").path
        let refused = try Self.run(["login", "--authfile", authFile, registry.url, "-u", try #require(registry.username),
                                    "--password-stdin", "--ca-cert", ca], stdin: "nope", home.environment)
        FetchRequests.expectCleanFailure(refused, mentioning: "unauthorized")
        let login = try Self.run(["login", "--authfile", authFile, registry.url, "-u", try #require(registry.username),
                                  "--password-stdin", "--ca-cert", ca], stdin: try #require(registry.password), home.environment)
        #expect(login.status == 0, "\(login.stderr)")
        let skopeo = try Self.skopeoGetLogin(registry, authFile: authFile, environment: home.environment)
        #expect(skopeo.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines) == registry.username)
    }

    @Test func usageErrorsExitTwo() throws {
        let home = try Home()
        let both = try Self.run(["login", "x.example", "-u", "a", "--password", "p", "--password-stdin"], home.environment)
        #expect(both.status == 2, "\(both.stderr)")
        let none = try Self.run(["logout"], home.environment)
        #expect(none.status == 2)
        let noPassword = try Self.run(["login", "x.example", "-u", "a"], home.environment)
        #expect(noPassword.status == 1)
        #expect(noPassword.stderr.contains("error: no password"), "\(noPassword.stderr)")
    }
}
