import FastExtract
import FoundationEssentials
import OCIModel

/// The members of a tarball, indexed once (names, sizes, header offsets) and
/// streamed one at a time by reopening the file at the member's header, so
/// the tarball is never extracted and no member is buffered whole. A
/// compressed tarball cannot be entered at an offset; its members are reached
/// by reading from the start (still streamed).
final class TarFileStore: ImageFileStore {
    struct Member {
        var size: Int64
        var position: Int64
        var isRegular: Bool
        var linkTarget: String?
    }

    let path: String
    private(set) var members: [String: Member] = [:]
    private let isCompressed: Bool

    init(path: String) throws(ImageError) {
        self.path = path
        let reader = try TarArchiveReader(path: path)
        var compressed = false
        var sawEntry = false
        while let header = try reader.nextHeader() {
            if !sawEntry {
                compressed = reader.isCompressed
                sawEntry = true
            }
            var target: String?
            if let link = header.hardlinkTarget {
                target = link
            } else if let link = header.symlinkTarget {
                target = TarFileStore.resolve(link, relativeTo: header.name)
            }
            members[header.name] = Member(
                size: header.size, position: header.position, isRegular: header.isRegular, linkTarget: target)
        }
        guard sawEntry else { throw .malformedArchive(path, detail: "no entries") }
        isCompressed = compressed
    }

    var location: String { path }

    func contains(_ name: String) -> Bool { (try? regularMember(name)) != nil }

    func size(of name: String) -> Int64? { (try? regularMember(name))?.1.size }

    /// Follows hard and symbolic links between members (docker save links
    /// repeated `layer.tar` files) to the member holding the bytes.
    private func regularMember(_ name: String) throws(ImageError) -> (String, Member) {
        var current = EntryPath.cleaned(name)
        for _ in 0..<16 {
            guard let member = members[current] else { throw .blobNotFound(name: name, in: path) }
            if member.isRegular { return (current, member) }
            guard let target = member.linkTarget else { throw .blobNotFound(name: name, in: path) }
            current = target
        }
        throw .malformedArchive(path, detail: "too many links resolving \(name)")
    }

    func stream(_ name: String, into consumer: BlobConsumer) throws {
        let (memberName, member) = try regularMember(name)
        let reader = try TarArchiveReader(path: path, offset: isCompressed ? 0 : member.position)
        while let header = try reader.nextHeader() {
            if header.name == memberName && header.isRegular {
                try reader.streamData(into: consumer)
                return
            }
            guard isCompressed else { break }
        }
        throw ImageError.malformedArchive(path, detail: "member \(memberName) moved while reading")
    }

    /// Members are reached through libarchive only.
    func open(_ name: String) throws -> ByteSource? { nil }

    /// A symlink target resolved against the link's directory, within the archive.
    static func resolve(_ target: String, relativeTo linkName: String) -> String {
        if target.hasPrefix("/") { return EntryPath.cleaned(target) }
        let directory = linkName.split(separator: "/").dropLast().joined(separator: "/")
        return EntryPath.cleaned(directory + "/" + target)
    }
}

extension ImageError {
    static func blobNotFound(name: String, in location: String) -> ImageError {
        .io("\(name) not found in \(location)")
    }
}
