
/// The platform an image runs on (OCI image-spec index `platform` object).
public struct Platform: Codable, Hashable, Sendable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?
    public var features: [String]?

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant, features
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(
        os: String, architecture: String, variant: String? = nil,
        osVersion: String? = nil, osFeatures: [String]? = nil, features: [String]? = nil
    ) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.features = features
    }

    /// Parses `os/arch[/variant]`, or `arch[/variant]` with `os` defaulting to linux
    /// (`linux/arm64/v8`, `arm64/v8`, `amd64`). A first component that is a known
    /// operating system is taken as the os.
    public init(parsing text: String) throws(OCIModelError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformedPlatform(text)
        }
        if Platform.knownOperatingSystems.contains(parts[0].lowercased()) {
            guard parts.count >= 2 else { throw .malformedPlatform(text) }
            self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
        } else {
            guard parts.count <= 2 else { throw .malformedPlatform(text) }
            self.init(os: "linux", architecture: parts[0], variant: parts.count == 2 ? parts[1] : nil)
        }
    }

    static let knownOperatingSystems: Set<String> = [
        "linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "android", "ios",
        "plan9", "dragonfly", "js", "wasip1", "unknown",
    ]

    /// The platform of the machine running this code: linux/amd64 on x86_64,
    /// linux/arm64 on arm64 (as upstream defaults).
    public static var host: Platform {
        #if arch(arm64)
        Platform(os: "linux", architecture: "arm64")
        #elseif arch(arm)
        Platform(os: "linux", architecture: "arm", variant: "v7")
        #else
        Platform(os: "linux", architecture: "amd64")
        #endif
    }

    public var description: String {
        var text = "\(os)/\(architecture)"
        if let variant, !variant.isEmpty { text += "/\(variant)" }
        if let osVersion, !osVersion.isEmpty { text += " (os.version \(osVersion))" }
        return text
    }

    /// Architecture and variant spelled the way containerd normalises them:
    /// aliases folded (`aarch64` → `arm64`, `x86_64` → `amd64`), arm64's default
    /// variant `v8` dropped, arm's missing variant defaulting to `v7`.
    public var normalized: Platform {
        var result = self
        result.os = os.lowercased()
        var arch = architecture.lowercased()
        var variant = (self.variant ?? "").lowercased()
        switch arch {
        case "x86_64", "x86-64", "amd64":
            arch = "amd64"
            if variant == "v1" { variant = "" }
        case "i386", "386":
            arch = "386"
        case "aarch64", "arm64":
            arch = "arm64"
            if variant == "8" || variant == "v8" { variant = "" }
        case "armhf":
            arch = "arm"
            variant = "v7"
        case "armel":
            arch = "arm"
            variant = "v6"
        case "arm":
            if variant.isEmpty || variant == "7" { variant = "v7" }
            if variant == "5" || variant == "6" || variant == "8" { variant = "v" + variant }
        default:
            break
        }
        result.architecture = arch
        result.variant = variant.isEmpty ? nil : variant
        return result
    }

    /// How well `candidate` satisfies this platform as a request: `nil` when
    /// it does not; lower is better. os and architecture must agree after
    /// normalisation; os.version and features, when requested, must be met.
    /// An equal (normalised) variant is an exact match; when the request names
    /// no variant any variant is accepted, as go-containerregistry does.
    public func matchRank(of candidate: Platform) -> Int? {
        let want = normalized
        let have = candidate.normalized
        guard want.os == have.os, want.architecture == have.architecture else { return nil }
        if let version = osVersion, !version.isEmpty, version != candidate.osVersion { return nil }
        if let wanted = features, !Set(wanted).isSubset(of: Set(candidate.features ?? [])) { return nil }
        if let wanted = osFeatures, !Set(wanted).isSubset(of: Set(candidate.osFeatures ?? [])) { return nil }
        if want.variant == have.variant { return 0 }
        if (variant ?? "").isEmpty { return 1 }
        return nil
    }

}
