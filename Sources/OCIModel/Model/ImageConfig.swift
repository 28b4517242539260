import FoundationEssentials

/// The image configuration blob (OCI image-spec "Image Configuration"; Docker's
/// container config has the same shape). Unknown fields are ignored on decode:
/// pass-through code keeps the original bytes, never a re-encoding of this.
public struct ImageConfig: Codable, Hashable, Sendable {
    @OptionalRFC3339Date public var created: Date?
    public var author: String?
    public var architecture: String
    public var os: String
    public var osVersion: String?
    public var variant: String?
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var history: [History]?

    enum CodingKeys: String, CodingKey {
        case created, author, architecture, os, variant, config, rootfs, history
        case osVersion = "os.version"
    }

    public init(
        created: Date? = nil, architecture: String, os: String, variant: String? = nil,
        config: ContainerConfig? = nil, rootfs: RootFS, history: [History]? = nil
    ) {
        self.created = created
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.config = config
        self.rootfs = rootfs
        self.history = history
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        created = try c.decodeIfPresent(RFC3339Date.self, forKey: .created)?.date
        author = try c.decodeIfPresent(String.self, forKey: .author)
        // Some builders omit these; an empty string then fails platform matching clearly.
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? ""
        os = try c.decodeIfPresent(String.self, forKey: .os) ?? ""
        osVersion = try c.decodeIfPresent(String.self, forKey: .osVersion)
        variant = try c.decodeIfPresent(String.self, forKey: .variant)
        config = try c.decodeIfPresent(ContainerConfig.self, forKey: .config)
        rootfs = try c.decodeIfPresent(RootFS.self, forKey: .rootfs) ?? RootFS(diffIDs: [])
        history = try c.decodeIfPresent([History].self, forKey: .history)
    }

    /// The platform this config declares.
    public var platform: Platform {
        Platform(os: os, architecture: architecture, variant: variant, osVersion: osVersion)
    }

    /// The runtime defaults of a container (`config` in the image config JSON).
    public struct ContainerConfig: Codable, Hashable, Sendable {
        public var user: String?
        public var exposedPorts: [String: EmptyObject]?
        public var env: [String]?
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var volumes: [String: EmptyObject]?
        public var workingDir: String?
        public var labels: [String: String]?
        public var stopSignal: String?

        enum CodingKeys: String, CodingKey {
            case user = "User", exposedPorts = "ExposedPorts", env = "Env", entrypoint = "Entrypoint"
            case cmd = "Cmd", volumes = "Volumes", workingDir = "WorkingDir", labels = "Labels"
            case stopSignal = "StopSignal"
        }

        public init(
            user: String? = nil, env: [String]? = nil, entrypoint: [String]? = nil, cmd: [String]? = nil,
            workingDir: String? = nil, labels: [String: String]? = nil
        ) {
            self.user = user
            self.env = env
            self.entrypoint = entrypoint
            self.cmd = cmd
            self.workingDir = workingDir
            self.labels = labels
        }
    }

    /// `{}` values of ExposedPorts / Volumes.
    public struct EmptyObject: Codable, Hashable, Sendable {
        public init() {}
    }

    public struct RootFS: Codable, Hashable, Sendable {
        public var type: String
        public var diffIDs: [Digest]

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }

        public init(type: String = "layers", diffIDs: [Digest]) {
            self.type = type
            self.diffIDs = diffIDs
        }
    }

    public struct History: Codable, Hashable, Sendable {
        @OptionalRFC3339Date public var created: Date?
        public var createdBy: String?
        public var author: String?
        public var comment: String?
        public var emptyLayer: Bool?

        enum CodingKeys: String, CodingKey {
            case created, author, comment
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }

        public init(created: Date? = nil, createdBy: String? = nil, emptyLayer: Bool? = nil) {
            self.created = created
            self.createdBy = createdBy
            self.emptyLayer = emptyLayer
        }
    }
}
