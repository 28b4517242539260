import ArgumentParser
import FoundationEssentials
import Glibc
import OCIModel

struct InspectSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe an image: digest, media type, platforms, layers, created, labels, env, entrypoint and cmd.",
        discussion: """
        IMAGE is docker://REF, oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG], oci-archive:FILE[:TAG] or dir:DIR; \
        without a prefix, a path that exists, else a registry reference. For an index, its platforms are listed \
        and the image for this host (or --platform) is described. --raw prints the root manifest or index bytes \
        exactly as stored or served (their SHA-256 is the digest); --config the chosen image's config blob.

        Examples:
          registry-image inspect docker://alpine:3.20
          registry-image inspect --raw oci:./layout:v1 | sha256sum
          registry-image inspect --format json --platform linux/arm64 ghcr.io/org/app:1 | jq .image.layers
        """
    )

    @Argument(help: "The image (any transport).")
    var image: String

    @Flag(help: "Print the manifest (or index) bytes as served.")
    var raw = false

    @Flag(help: "Print the image's config JSON as stored.")
    var config = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(help: "Platform to describe from a multi-platform image, as os/architecture[/variant].")
    var platform: String?

    @OptionGroup var credentials: CredentialOptions

    func validate() throws {
        if raw && config { throw ValidationError("--raw and --config exclude each other") }
        if (raw || config) && format != .text { throw ValidationError("--format applies to the description, not to --raw or --config") }
    }

    func run() throws {
        try Terminal.reportingFailure {
            let output: ImageTool.InspectOutput = raw ? .raw : config ? .config : format == .json ? .json : .text
            let bytes = try ImageTool.inspect(image, output: output, platform: platform, settings: try credentials.settings())
            StandardStream.write(Array(bytes), to: STDOUT_FILENO)
        }
    }
}
