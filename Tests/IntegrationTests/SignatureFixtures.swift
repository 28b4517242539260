import Foundation
import TestSupport
import Testing

/// Keys made by Python's `cryptography` and cosign signatures attached by
/// Tests/StandIns/signatures/cosign_attach.py: nothing here uses the code under test.
struct SignatureKeys: Sendable {
    let directory: TemporaryDirectory

    /// One key pair per kind (p256, p384, rsa2048, ed25519), unencrypted PKCS#8.
    private init() throws {
        directory = try TemporaryDirectory(prefix: "sigkeys")
        for kind in ["p256", "p384", "rsa2048", "ed25519"] {
            try ExternalCommand.cryptographyPython("signatures/keys.py", ["generate", kind, directory.appending(kind).path])
        }
    }

    /// One set for the test process: each test signs its own repository, and a
    /// key of another kind stays the "wrong key" it needs.
    private static let all = Result { try SignatureKeys() }
    static func shared() throws -> SignatureKeys { try all.get() }

    func privateKey(_ kind: String) -> URL { directory.appending(kind).appendingPathComponent("key.pem") }
    func publicKey(_ kind: String) -> URL { directory.appending(kind).appendingPathComponent("key.pub") }
    func publicPEM(_ kind: String) throws -> String { try String(contentsOf: publicKey(kind), encoding: .utf8) }

    /// `sha256:<hex of the SPKI DER>`, computed by openssl.
    func fingerprint(_ kind: String) throws -> String {
        let der = try ExternalCommand.check("openssl", ["pkey", "-pubin", "-in", publicKey(kind).path, "-outform", "DER"])
        let hash = try ExternalCommand.check("openssl", ["dgst", "-sha256", "-r"], stdin: der)
        return "sha256:" + String(decoding: hash, as: UTF8.self).prefix(64)
    }
}

enum CosignAttach {
    static func run(_ arguments: [String]) throws {
        try ExternalCommand.cryptographyPython("signatures/cosign_attach.py", arguments)
    }

    /// Signs `digest` in cosign's tag scheme; `extra`: `--hash sha384`, `--names D`, `--type T`, `--corrupt`.
    static func tag(_ registry: TestRegistry, _ repository: String, _ digest: String, key: URL, _ extra: [String] = []) throws {
        try run(["tag", registry.baseURL.absoluteString, repository, digest, key.path] + extra)
    }

    /// Attaches a DSSE sigstore bundle as a referrer (fallback tag).
    static func bundle(_ registry: TestRegistry, _ repository: String, _ digest: String, key: URL, _ extra: [String] = []) throws {
        try run(["bundle", registry.baseURL.absoluteString, repository, digest, key.path] + extra)
    }

    /// Whether `cryptography` verifies what is attached to `digest` (tag scheme or bundle).
    /// Throws when the checker gave no verdict (it crashed, or found nothing to check),
    /// so `false` means a signature was read and refused, never that the check broke.
    static func verifies(_ registry: TestRegistry, _ repository: String, _ digest: String, publicKey: URL,
                         bundle: Bool) throws -> Bool {
        let result = try ExternalCommand.run(ExternalCommand.cryptographyPython, [
            TestPaths.standIns.appendingPathComponent("signatures/cosign_attach.py").path,
            bundle ? "check-bundle" : "check-tag", registry.baseURL.absoluteString, repository, digest, publicKey.path,
        ])
        struct Verdict: Decodable { let verified: Int; let problems: [String]? }
        guard let verdict = try? JSONDecoder().decode(Verdict.self, from: result.stdout), verdict.problems != nil else {
            throw ExternalCommandError.failed(command: "cosign_attach.py check", status: result.status,
                                              stderr: result.stdoutString + result.stderr)
        }
        return result.status == 0
    }
}

/// The executable, as Concourse runs it, with a `source.verify` block.
enum SignedResource {
    static func source(_ registry: TestRegistry, _ repository: String, keys: [String], extra: [String: Any] = [:]) -> [String: Any] {
        var source: [String: Any] = ["repository": "\(registry.url)/\(repository)", "verify": ["public_keys": keys]]
        source.merge(extra) { $1 }
        return source
    }

    static func check(_ source: [String: Any], version: [String: String]? = nil) throws -> (versions: [[String: String]], stderr: String) {
        var request: [String: Any] = ["source": source]
        if let version { request["version"] = version }
        let result = try ResourceRunner.run(["check"], request: request)
        guard result.status == 0 else {
            throw ExternalCommandError.failed(command: "check", status: result.status, stderr: result.stderr)
        }
        return (try ResourceRunner.json(result) as? [[String: String]] ?? [], result.stderr)
    }

    /// Tags of the versions `check` reported, in order.
    static func tags(_ versions: [[String: String]]) -> [String] { versions.compactMap { $0["tag"] } }

    /// `in` into a fresh directory; the result and what the directory holds afterwards.
    static func get(_ source: [String: Any], digest: String, params: [String: Any] = [:]) throws -> (CommandResult, [String], TemporaryDirectory) {
        let work = try TemporaryDirectory(prefix: "signed-get")
        let destination = work.appending("get")
        let request = ResourceRunner.inRequest(repository: source["repository"] as? String ?? "", digest: digest,
                                               source: source, params: params)
        let result = try ResourceRunner.run(["in", destination.path], request: request)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
        return (result, entries.sorted(), work)
    }

    static func metadata(_ result: CommandResult, _ name: String) throws -> String? {
        let response = try ResourceRunner.response(result)
        let fields = response["metadata"] as? [[String: String]] ?? []
        return fields.first { $0["name"] == name }?["value"]
    }
}
