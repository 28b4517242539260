import ArgumentParser
import Foundation
import RegistryImage

/// Registry credentials for the human commands: flags first, then the
/// REGISTRY_USERNAME / REGISTRY_PASSWORD environment variables, then the auth
/// files `login` writes (see `AuthFileLocations`).
struct CredentialOptions: ParsableArguments {
    @Option(help: "Registry user name (default: $REGISTRY_USERNAME).")
    var username: String?

    @Option(help: "Registry password (default: $REGISTRY_PASSWORD). Prefer the environment variable: flags show in ps.")
    var password: String?

    @Flag(help: "Allow plain HTTP and unverified TLS for this registry.")
    var insecure = false

    @Option(name: .customLong("ca-cert"), help: "A PEM file of extra trusted CA certificates (repeatable).")
    var caCertificateFiles: [String] = []

    @Option(name: .customLong("authfile"),
            help: "Auth file to read credentials from (default: $REGISTRY_AUTH_FILE, else the usual files).")
    var authFile: String?

    @Flag(help: "Print debug logs on stderr.")
    var debug = false

    func settings() throws -> ToolSettings {
        let environment = ProcessInfo.processInfo.environment
        let pems = try caCertificateFiles.map { try String(contentsOfFile: $0, encoding: .utf8) }
        return ToolSettings(
            username: username ?? environment["REGISTRY_USERNAME"],
            password: password ?? environment["REGISTRY_PASSWORD"],
            insecure: insecure,
            caCertificatesPEM: pems,
            debug: debug,
            authFile: authFile
        )
    }
}

struct ExtractSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Unpack an image already on disk into a rootfs, with no network.",
        discussion: """
        SOURCE is an OCI image layout directory, a docker-archive tarball (docker save) or an OCI archive \
        tarball. Every blob is verified against its digest and layers are applied with the OCI whiteout rules. \
        ROOTFS must not exist yet or be empty; on failure nothing is left there.
        """
    )

    @Argument(help: "OCI layout directory, docker-archive tarball or OCI archive tarball.")
    var source: String

    @Argument(help: "Directory to create the root filesystem in.")
    var rootfs: String

    @Option(help: "Platform to pick from a multi-platform image, as os/architecture[/variant].")
    var platform: String?

    @Option(help: "Digest of the image (manifest or index) to pick when the layout holds several.")
    var digest: String?

    @Option(help: "Tag (org.opencontainers.image.ref.name) to pick when the layout holds several images.")
    var tag: String?

    @Flag(help: "Print debug logs on stderr.")
    var debug = false

    func run() throws {
        try Terminal.reportingFailure {
            try ImageTool.extract(
                source: source, rootfs: rootfs, platform: platform, digest: digest, tag: tag, debug: debug)
        }
    }
}

struct PullSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image from a registry into a directory."
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
        abstract: "Push an image from disk (OCI layout, docker-archive or OCI archive) to a registry."
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
        abstract: "List a repository's tags, in the registry's order."
    )

    @Argument(help: "Repository: [host[:port]/]repository.")
    var reference: String

    @OptionGroup var credentials: CredentialOptions

    func run() throws {
        try Terminal.reportingFailure {
            for tag in try ImageTool.tags(reference: reference, settings: try credentials.settings()) {
                print(tag)
            }
        }
    }
}
