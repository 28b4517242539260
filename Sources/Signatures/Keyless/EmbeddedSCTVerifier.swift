import CCrypto
import FoundationEssentials
import Glibc

/// Checks the leaf's embedded signed certificate timestamps with OpenSSL's
/// CT API: at least one SCT of the precertificate must verify under a CT log
/// of the trusted root (one valid at the signing time), with the issuer's
/// key hash as RFC 6962 defines it.
struct EmbeddedSCTVerifier {
    var ctlogs: [TrustedRoot.TransparencyLogInstance]

    func verify(_ leaf: Certificate, issuer: Certificate, at time: Int64) throws(SignatureError) {
        guard let list = X509_get_ext_d2i(leaf.x509, NID_ct_precert_scts, nil, nil) else {
            ERR_clear_error()
            throw .rejected(reason: "certificate has no embedded SCT")
        }
        let scts = OpaquePointer(list)
        defer { SCT_LIST_free(scts) }
        let logs = try LogStore(ctlogs.filter { $0.publicKey.validFor.contains(time) })
        guard let context = CT_POLICY_EVAL_CTX_new() else { throw .rejected(reason: "out of memory") }
        defer {
            CT_POLICY_EVAL_CTX_free(context)
            ERR_clear_error()
            withExtendedLifetime(logs) {}  // the context only borrows the store
        }
        guard CT_POLICY_EVAL_CTX_set1_cert(context, leaf.x509) == 1,
              CT_POLICY_EVAL_CTX_set1_issuer(context, issuer.x509) == 1 else {
            throw .rejected(reason: "out of memory")
        }
        CT_POLICY_EVAL_CTX_set_shared_CTLOG_STORE(context, logs.store)
        var known = false
        for index in 0..<max(0, OPENSSL_sk_num(scts)) {
            guard let sct = OPENSSL_sk_value(scts, index).map(OpaquePointer.init) else { continue }
            if SCT_validate(sct, context) == 1 { return }
            if SCT_get_validation_status(sct) != SCT_VALIDATION_STATUS_UNKNOWN_LOG { known = true }
        }
        throw .rejected(reason: known
            ? "embedded SCT does not verify under its CT log's key"
            : "embedded SCT is from no CT log of the trusted root")
    }

    /// A `CTLOG_STORE` of the trusted root's CT logs. OpenSSL fills one only
    /// from a configuration file, so the keys go through a private temporary
    /// file, removed at once.
    private final class LogStore {
        let store: OpaquePointer

        init(_ logs: [TrustedRoot.TransparencyLogInstance]) throws(SignatureError) {
            guard let store = CTLOG_STORE_new() else { throw .rejected(reason: "out of memory") }
            self.store = store
            let keys = logs.compactMap { $0.publicKey.rawBytes?.data }
            guard !keys.isEmpty else { return }
            var configuration = "enabled_logs = " + keys.indices.map { "log\($0)" }.joined(separator: ",") + "\n"
            for (index, key) in keys.enumerated() {
                configuration += "[log\(index)]\ndescription = log\(index)\nkey = \(key.base64EncodedString())\n"
            }
            var template = Array((FileManager.default.temporaryDirectory.path + "/ctlogs-XXXXXX").utf8CString)
            let descriptor = mkstemp(&template)
            guard descriptor >= 0 else { throw .rejected(reason: "cannot write the CT log keys to a temporary file (errno \(errno))") }
            let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { unlink(path) }
            let written = configuration.utf8CString.withUnsafeBytes { raw in write(descriptor, raw.baseAddress, raw.count - 1) }
            close(descriptor)
            guard written == configuration.utf8.count, CTLOG_STORE_load_file(store, path) == 1 else {
                ERR_clear_error()
                throw .malformed(what: "trusted root", reason: "a CT log key is not a DER public key")
            }
        }

        deinit { CTLOG_STORE_free(store) }
    }
}
