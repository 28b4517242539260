import Foundation
import Signatures
import TestSupport

/// The keyless fixtures of Tests/StandIns/sigstore/keyless_fixtures.py (made
/// with Python's `cryptography`): a test TrustedRoot and one signature per
/// case, made once per test process.
struct KeylessFixtures: Sendable {
    struct Case: Sendable {
        var signedBytes: Data
        var signature: Data
        var chain: [Data]
        var evidence: TransparencyEvidence
    }

    /// An RFC 6962 audit path the Python reference computed.
    struct MerklePath: Sendable {
        var size: Int64
        var index: Int64
        var leaf: Data
        var root: Data
        var hashes: [Data]
    }

    var trustedRoot: TrustedRoot
    var merkle: [MerklePath]
    var variants: [String: TrustedRoot]
    var cases: [String: Case]
    var email: String
    var uri: String
    var issuer: String

    static let script = "sigstore/keyless_fixtures.py"

    static let shared: Result<KeylessFixtures, any Error> = Result {
        let output = try ExternalCommand.check(
            ExternalCommand.awsPython, [TestPaths.standIns.appendingPathComponent(script).path])
        return try KeylessFixtures(json: output)
    }

    static func load() throws -> KeylessFixtures { try shared.get() }

    func `case`(_ name: String) throws -> Case {
        guard let found = cases[name] else { throw FixtureError("no fixture case \(name)") }
        return found
    }

    func variant(_ name: String) throws -> TrustedRoot {
        guard let found = variants[name] else { throw FixtureError("no trusted root variant \(name)") }
        return found
    }

    init(json: Data) throws {
        guard let document = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let root = document["trustedRoot"], let variants = document["variants"] as? [String: Any],
              let cases = document["cases"] as? [String: [String: Any]],
              let identity = document["identity"] as? [String: String],
              let email = identity["email"], let uri = identity["uri"], let issuer = identity["issuer"] else {
            throw FixtureError("fixture document lacks trustedRoot, variants, cases or identity")
        }
        trustedRoot = try TrustedRoot(json: JSONSerialization.data(withJSONObject: root))
        self.variants = try variants.mapValues { try TrustedRoot(json: JSONSerialization.data(withJSONObject: $0)) }
        self.cases = try cases.mapValues(Self.decodeCase)
        merkle = try ((document["merkle"] as? [[String: Any]]) ?? []).map { item in
            guard let size = item["size"] as? Int, let index = item["index"] as? Int,
                  let leaf = (item["leaf"] as? String).flatMap({ Data(base64Encoded: $0) }),
                  let root = (item["root"] as? String).flatMap({ Data(base64Encoded: $0) }),
                  let hashes = (item["hashes"] as? [String])?.compactMap({ Data(base64Encoded: $0) }) else {
                throw FixtureError("merkle path lacks size, index, leaf, root or hashes")
            }
            return MerklePath(size: Int64(size), index: Int64(index), leaf: leaf, root: root, hashes: hashes)
        }
        self.email = email
        self.uri = uri
        self.issuer = issuer
    }

    private static func decodeCase(_ object: [String: Any]) throws -> Case {
        guard let signedBytes = (object["signedBytes"] as? String).flatMap({ Data(base64Encoded: $0) }),
              let signature = (object["signature"] as? String).flatMap({ Data(base64Encoded: $0) }),
              let chain = (object["chain"] as? [String])?.compactMap({ Data(base64Encoded: $0) }),
              let evidence = object["evidence"] as? [String: Any] else {
            throw FixtureError("fixture case lacks signedBytes, signature, chain or evidence")
        }
        let decoded: TransparencyEvidence
        if let annotation = evidence["annotation"] as? String {
            decoded = .cosignBundleAnnotation(Data(annotation.utf8))
        } else if let entries = evidence["entries"] {
            decoded = .bundleEntries(try JSONDecoder().decode(
                [SigstoreBundle.TransparencyLogEntry].self, from: JSONSerialization.data(withJSONObject: entries)))
        } else {
            throw FixtureError("fixture case evidence is neither an annotation nor entries")
        }
        return Case(signedBytes: signedBytes, signature: signature, chain: chain, evidence: decoded)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
