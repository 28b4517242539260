import ArgumentParser
import FoundationEssentials

struct ExtractSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Unpack an image already on disk into a rootfs, with no network (or one from a registry).",
        usage: """
        registry-image extract <source> <rootfs> [--platform <platform>] [--digest <digest>] [--tag <tag>]
          registry-image extract --layer <file>[@sha256:<hex>] [--layer ...] <rootfs>
        """,
        discussion: """
        SOURCE is an OCI layout directory, a docker-archive tarball (docker save), an OCI archive tarball or a \
        skopeo blob directory, named by path (its kind is told from its content) or with skopeo's transport \
        prefixes: oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG], oci-archive:FILE[:TAG], dir:DIR (and docker://REF, \
        which fetches, as pull --format rootfs without the metadata files). With --layer, \
        bare layer blobs (gzip, zstd or plain tar) are applied in the order given; each is verified when its \
        digest is given (FILE@sha256:HEX) or is its file name (as in a blob cache), and applied unverified, with \
        a warning, otherwise. Every blob of an image is verified against its digest and layers are applied with \
        the OCI whiteout rules. ROOTFS must not exist yet or be empty; on failure nothing is left there.

        Examples:
          registry-image extract oci:./layout:v1 ./rootfs --platform linux/arm64
          registry-image extract --layer cache/3f4e….tar.gz --layer top.tar.zst@sha256:9a0c… ./rootfs
        """
    )

    @Argument(help: ArgumentHelp("The image, then the directory to create the root filesystem in (only the directory with --layer).",
                                 valueName: "source> <rootfs"))
    var paths: [String] = []

    @Option(name: .customLong("layer"), help: ArgumentHelp("A layer blob to apply, in order (repeatable).", valueName: "file[@sha256:hex]"))
    var layers: [String] = []

    @Option(help: "Platform to pick from a multi-platform image, as os/architecture[/variant].")
    var platform: String?

    @Option(help: "Digest of the image (manifest or index) to pick when the layout holds several.")
    var digest: String?

    @Option(help: "Tag (org.opencontainers.image.ref.name) to pick when the layout holds several images.")
    var tag: String?

    @OptionGroup var credentials: CredentialOptions

    func validate() throws {
        if layers.isEmpty {
            guard paths.count == 2 else { throw ValidationError("expected SOURCE and ROOTFS (or --layer FILE… ROOTFS)") }
        } else {
            guard paths.count == 1 else { throw ValidationError("with --layer, give only ROOTFS") }
            if platform != nil || digest != nil || tag != nil {
                throw ValidationError("--platform, --digest and --tag choose from an image, not from --layer files")
            }
        }
    }

    func run() throws {
        try Terminal.reportingFailure {
            if layers.isEmpty {
                try ImageTool.extract(
                    source: paths[0], rootfs: paths[1], platform: platform, digest: digest, tag: tag,
                    settings: try credentials.settings())
            } else {
                try ImageTool.extract(layers: layers, rootfs: paths[0], debug: credentials.debug)
            }
        }
    }
}
