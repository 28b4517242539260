import FoundationEssentials

/// A Rekor checkpoint (a signed note, golang.org/x/mod/sumdb/note): the text
/// `origin\ntree size\nbase64 root hash\n[other lines\n]`, a blank line, then
/// lines `— <name> <base64(4-byte key hint ‖ signature)>`.
struct SignedCheckpoint {
    /// What the signatures cover: the text up to and with its last newline.
    var text: Data
    var origin: String
    var treeSize: Int64
    var rootHash: Data
    var signatures: [(keyHint: Data, signature: Data)]

    init(envelope: String) throws(SignatureError) {
        let parts = envelope.components(separatedBy: "\n\n")
        guard parts.count == 2 else {
            throw .malformed(what: "checkpoint", reason: "not a signed note (text, blank line, signatures)")
        }
        let lines = parts[0].components(separatedBy: "\n")
        guard lines.count >= 3, let size = Int64(lines[1]), let root = ProtoBytes.decodeBase64(lines[2]) else {
            throw .malformed(what: "checkpoint", reason: "needs an origin, a tree size and a base64 root hash")
        }
        text = Data((parts[0] + "\n").utf8)
        origin = lines[0]
        treeSize = size
        rootHash = root
        signatures = parts[1].split(separator: "\n").compactMap { line in
            // "— name base64": the signer's name has no spaces.
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "\u{2014}", let blob = ProtoBytes.decodeBase64(String(fields[2])),
                  blob.count > 4 else { return nil }
            return (Data(blob.prefix(4)), Data(blob.dropFirst(4)))
        }
    }

    /// Whether one signature whose key hint matches the log's key id (its
    /// first four bytes, as Rekor names its key) verifies under the key.
    func isSigned(by key: VerificationKey, keyID: Data) -> Bool {
        let hint = Data(keyID.prefix(4))
        return signatures.contains { $0.keyHint == hint && key.verify(signature: $0.signature, message: text) }
    }
}
