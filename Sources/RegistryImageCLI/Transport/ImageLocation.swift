import FoundationEssentials
import OCIModel

/// Where an image is, named with skopeo's transport prefixes:
/// `docker://REF`, `oci:DIR[:REF]`, `docker-archive:FILE[:NAME:TAG]`,
/// `oci-archive:FILE[:REF]`, `dir:DIR`, plus `rootfs:DIR` (a destination
/// only). As in containers/image, the path ends at the first `:` after the
/// prefix, so paths holding a colon cannot be named with a reference.
/// Text without a known prefix is `.unqualified`: the command decides
/// (a path on disk, judged by content, or a registry reference).
public enum ImageLocation: Sendable, Equatable, CustomStringConvertible {
    case registry(ImageReference)
    /// `reference`: an `org.opencontainers.image.ref.name` (tag) or a digest.
    case ociLayout(path: String, reference: String?)
    /// `reference`: the `name:tag` docker's manifest.json lists.
    case dockerArchive(path: String, reference: String?)
    case ociArchive(path: String, reference: String?)
    /// skopeo's blob directory: `manifest.json` plus blobs named by digest hex.
    case blobDirectory(path: String)
    case rootfs(path: String)
    case unqualified(String)

    public enum Transport: String, Sendable, CaseIterable {
        case docker, oci, dockerArchive = "docker-archive", ociArchive = "oci-archive", dir, rootfs
    }

    /// Transports skopeo knows that need a daemon or store this tool does not use.
    static let unsupported = ["docker-daemon", "containers-storage", "ostree", "sif", "tarball"]

    public init(parsing text: String) throws(ImageLocationError) {
        guard !text.isEmpty else { throw .empty }
        guard let colon = text.firstIndex(of: ":") else {
            self = .unqualified(text)
            return
        }
        let prefix = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        if Self.unsupported.contains(prefix) { throw .unsupportedTransport(prefix) }
        guard let transport = Transport(rawValue: prefix) else {
            // `localhost:5000/app`, `C:…`, `image.tar`: no transport here.
            self = .unqualified(text)
            return
        }
        switch transport {
        case .docker:
            guard rest.hasPrefix("//") else { throw .invalid(text, reason: "docker: needs //, as docker://host/repo:tag") }
            do {
                self = .registry(try ImageReference(parsing: String(rest.dropFirst(2))))
            } catch {
                throw .invalid(text, reason: error.description)
            }
        case .oci, .ociArchive:
            let (path, reference) = try Self.split(rest, text: text)
            if let reference, reference.contains(where: { $0 == "/" || $0.isWhitespace }) {
                throw .invalid(text, reason: "'\(reference)' is not a tag or digest")
            }
            self = transport == .oci ? .ociLayout(path: path, reference: reference)
                : .ociArchive(path: path, reference: reference)
        case .dockerArchive:
            let (path, reference) = try Self.split(rest, text: text)
            if let reference {
                if reference.hasPrefix("@") { throw .invalid(text, reason: "docker-archive:FILE:@INDEX is not supported; name the image NAME:TAG") }
                let parsed: ImageReference
                do {
                    parsed = try ImageReference(parsing: reference)
                } catch {
                    throw .invalid(text, reason: error.description)
                }
                if parsed.digest != nil { throw .invalid(text, reason: "a docker-archive names images by NAME:TAG, not a digest") }
            }
            self = .dockerArchive(path: path, reference: reference)
        case .dir:
            guard !rest.isEmpty else { throw .invalid(text, reason: "no directory") }
            self = .blobDirectory(path: rest)
        case .rootfs:
            guard !rest.isEmpty else { throw .invalid(text, reason: "no directory") }
            self = .rootfs(path: rest)
        }
    }

    private static func split(_ rest: String, text: String) throws(ImageLocationError) -> (String, String?) {
        guard let colon = rest.firstIndex(of: ":") else {
            guard !rest.isEmpty else { throw .invalid(text, reason: "no path") }
            return (rest, nil)
        }
        let path = String(rest[..<colon])
        let reference = String(rest[rest.index(after: colon)...])
        guard !path.isEmpty else { throw .invalid(text, reason: "no path") }
        return (path, reference.isEmpty ? nil : reference)
    }

    public var transport: Transport? {
        switch self {
        case .registry: .docker
        case .ociLayout: .oci
        case .dockerArchive: .dockerArchive
        case .ociArchive: .ociArchive
        case .blobDirectory: .dir
        case .rootfs: .rootfs
        case .unqualified: nil
        }
    }

    /// The path on disk, for every transport but `docker`.
    public var path: String? {
        switch self {
        case .registry: nil
        case .ociLayout(let path, _), .dockerArchive(let path, _), .ociArchive(let path, _): path
        case .blobDirectory(let path), .rootfs(let path), .unqualified(let path): path
        }
    }

    public var description: String {
        func with(_ prefix: String, _ path: String, _ reference: String?) -> String {
            reference.map { "\(prefix):\(path):\($0)" } ?? "\(prefix):\(path)"
        }
        switch self {
        case .registry(let reference): return "docker://\(reference)"
        case .ociLayout(let path, let reference): return with("oci", path, reference)
        case .dockerArchive(let path, let reference): return with("docker-archive", path, reference)
        case .ociArchive(let path, let reference): return with("oci-archive", path, reference)
        case .blobDirectory(let path): return "dir:\(path)"
        case .rootfs(let path): return "rootfs:\(path)"
        case .unqualified(let text): return text
        }
    }
}

public enum ImageLocationError: Error, Equatable, CustomStringConvertible {
    case empty
    case invalid(String, reason: String)
    case unsupportedTransport(String)
    case notASource(String)

    public var description: String {
        switch self {
        case .empty: "empty image location"
        case .invalid(let text, let reason): "invalid image location '\(text)': \(reason)"
        case .unsupportedTransport(let name):
            "the \(name): transport is not supported (use docker://, oci:, docker-archive:, oci-archive:, dir: or rootfs:)"
        case .notASource(let text): "\(text) can only be a destination"
        }
    }
}
