
/// A parsed image reference: `[host[:port]/]path[:tag][@sha256:…]`.
///
/// Docker Hub names are normalised: no host, `docker.io` or `index.docker.io`
/// mean `registry-1.docker.io`, and a one-component path gets `library/`.
/// When neither tag nor digest is given both stay nil; callers pick the
/// default (`latest`).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    public static let dockerHubRegistry = "registry-1.docker.io"

    public var registry: String
    public var repository: String
    public var tag: String?
    public var digest: Digest?

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    public init(parsing text: String) throws(OCIModelError) {
        func invalid(_ reason: String) -> OCIModelError { .invalidReference(text, reason: reason) }
        guard !text.isEmpty else { throw invalid("empty reference") }

        var rest = Substring(text)
        var digest: Digest?
        if let at = rest.lastIndex(of: "@") {
            let digestText = String(rest[rest.index(after: at)...])
            do { digest = try Digest(parsing: digestText) } catch { throw invalid(error.description) }
            rest = rest[..<at]
        }

        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let tagText = String(rest[rest.index(after: colon)...])
            guard Self.isValidTag(tagText) else {
                throw invalid("invalid tag '\(tagText)' (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')")
            }
            tag = tagText
            rest = rest[..<colon]
        }

        var registry = Self.dockerHubRegistry
        var path = rest
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            // As Docker: the first component is a host only if it looks like
            // one (a dot, a port, `localhost`, or uppercase letters).
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                guard Self.isValidHost(String(first)) else { throw invalid("invalid registry host '\(first)'") }
                registry = String(first)
                path = rest[rest.index(after: slash)...]
            }
        }
        if registry == "docker.io" || registry == "index.docker.io" { registry = Self.dockerHubRegistry }

        var repository = String(path)
        guard Self.isValidRepository(repository) else {
            throw invalid("invalid repository name '\(repository)' (lowercase letters, digits and separators '.', '_', '__', '-', '/')")
        }
        if registry == Self.dockerHubRegistry && !repository.contains("/") {
            repository = "library/" + repository
        }
        guard registry.utf8.count + 1 + repository.utf8.count <= 255 else { throw invalid("name longer than 255 characters") }

        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    public var isDockerHub: Bool { registry == Self.dockerHubRegistry }

    public var description: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    // MARK: Grammar (distribution/reference)

    /// The one tag grammar (distribution/reference): `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    public static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard (1...128).contains(bytes.count), isWordByte(bytes[0]) else { return false }
        return bytes.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Components `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` joined by `/`.
    public static func isValidRepository(_ repository: String) -> Bool {
        let components = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty else { return false }
        return components.allSatisfy { component in
            let bytes = Array(component.utf8)
            guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
            var index = 0
            while index < bytes.count {
                if isLowerAlnum(bytes[index]) { index += 1; continue }
                // A separator: '.', '_', '__' or a run of '-', between alphanumerics.
                let start = index
                if bytes[index] == UInt8(ascii: "-") {
                    while index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
                } else if bytes[index] == UInt8(ascii: "_") {
                    index += 1
                    if index < bytes.count && bytes[index] == UInt8(ascii: "_") { index += 1 }
                } else if bytes[index] == UInt8(ascii: ".") {
                    index += 1
                } else {
                    return false
                }
                guard index > start, index < bytes.count, isLowerAlnum(bytes[index]) else { return false }
            }
            return true
        }
    }

    /// `host[:port]` where host is DNS labels, an IPv4 address, or `[IPv6]`.
    public static func isValidHost(_ text: String) -> Bool {
        var host = Substring(text)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let inner = String(host[host.index(after: host.startIndex)..<close])
            guard HostAddress.ipv6(inner) != nil else { return false }
            let after = host[host.index(after: close)...]
            if after.isEmpty { return true }
            guard after.first == ":" else { return false }
            return isValidPort(after.dropFirst())
        }
        if let colon = host.firstIndex(of: ":") {
            guard isValidPort(host[host.index(after: colon)...]) else { return false }
            host = host[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
            return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isValidPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(text) else { return false }
        return (1...65535).contains(port)
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isLowerAlnum(byte) || (byte >= 0x41 && byte <= 0x5a)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isAlnum(byte) || byte == UInt8(ascii: "_")
    }
}
