import ArgumentParser
import FoundationEssentials

struct CopySubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image between registries, OCI layouts, archives, skopeo dirs and rootfs directories.",
        discussion: """
        SOURCE and DESTINATION use skopeo's transports: docker://REF, oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG], \
        oci-archive:FILE[:TAG], dir:DIR, and rootfs:DIR as a destination. A source without a prefix is a path \
        that exists, else a registry reference; a destination needs its prefix. Every blob is verified on the way. \
        Registry to registry streams blobs without touching disk, skips blobs the target has and mounts blobs \
        across repositories of one registry. A multi-platform index is copied whole (as skopeo copy --all) to a \
        registry, layout, OCI archive or dir:, digests unchanged; --platform copies one image of it. A rootfs or \
        docker-archive takes one image (this host's platform unless --platform). Registry to registry, the cosign \
        signatures, attestations and SBOMs (sha256-<hex>.sig/.att/.sbom tags) and OCI referrers of every copied \
        digest come along (--no-signatures leaves them). --merge-platform puts one image (of --platform, from an \
        index) into the index the destination tag names. Prints the copied digest (merged: the tag's index).

        Examples:
          registry-image copy docker://ghcr.io/org/app:1 docker://registry.example.com/mirror/app:1
          registry-image copy --platform linux/arm64 docker://alpine:3.20 oci:./alpine:3.20
          registry-image copy dir:./cache/app rootfs:./rootfs
          registry-image copy --merge-platform oci:./build-arm64 docker://registry.example.com/app:1
        """
    )

    @Argument(help: "Where the image is (any transport).")
    var source: String

    @Argument(help: "Where it goes (any transport, with its prefix).")
    var destination: String

    @Option(help: "Copy only this platform's image from an index, as os/architecture[/variant].")
    var platform: String?

    @Flag(help: "Copy a whole index (the default; as skopeo copy --all).")
    var all = false

    @Flag(help: "Merge the copied image into the index the destination tag names (same platform replaced, others kept).")
    var mergePlatform = false

    @Flag(help: "Registry to registry, leave cosign signatures, attestations, SBOMs and OCI referrers behind.")
    var noSignatures = false

    @OptionGroup var credentials: CredentialOptions

    func validate() throws {
        if all && platform != nil { throw ValidationError("--all and --platform exclude each other") }
        if mergePlatform && all { throw ValidationError("--merge-platform copies one image; it excludes --all") }
    }

    func run() throws {
        try Terminal.reportingFailure {
            let digest = try ImageTool.copy(
                from: source, to: destination, platform: platform, mergePlatform: mergePlatform,
                attachedArtifacts: !noSignatures, settings: try credentials.settings())
            print(digest)
        }
    }
}
