import CCrypto
import FoundationEssentials

/// Builds the leaf's chain to a Fulcio CA of the trusted root with OpenSSL
/// (`X509_verify_cert`) at the signing time: every certificate of the chain,
/// leaf included, must be valid then, and so must the CA (its `validFor`).
struct CertificateChainVerifier {
    var authorities: [TrustedRoot.CertificateAuthority]

    /// The verified chain, leaf first, then its issuer, up to the CA's root.
    func verify(_ leaf: Certificate, at time: Int64) throws(SignatureError) -> [Certificate] {
        let current = authorities.filter { $0.validFor.contains(time) }
        guard !current.isEmpty else {
            throw .rejected(reason: "no Fulcio CA of the trusted root was valid at the signing time \(SigningTime.describe(time))")
        }
        var firstFailure: String?
        for authority in current {
            let certificates: [Certificate]
            do {
                certificates = try authority.certChain.certificates.map { certificate throws(SignatureError) in
                    try Certificate(der: certificate.rawBytes.data)
                }
            } catch {
                throw .malformed(what: "trusted root", reason: "a Fulcio CA's certificate is not DER X.509")
            }
            guard let anchor = certificates.last else { continue }
            switch Self.chain(leaf, anchor: anchor, intermediates: certificates.dropLast(), at: time) {
            case .success(let chain): return chain
            case .failure(let reason): firstFailure = firstFailure ?? reason
            }
        }
        throw .rejected(reason: "certificate does not chain to a Fulcio CA of the trusted root at the signing time \(SigningTime.describe(time)): \(firstFailure ?? "no CA")")
    }

    private enum Outcome { case success([Certificate]), failure(String) }

    private static func chain(_ leaf: Certificate, anchor: Certificate, intermediates: ArraySlice<Certificate>,
                              at time: Int64) -> Outcome {
        guard let store = X509_STORE_new(), let context = X509_STORE_CTX_new(),
              let untrusted = OPENSSL_sk_new_null() else { return .failure("out of memory") }
        defer {
            X509_STORE_CTX_free(context)
            OPENSSL_sk_free(untrusted)
            X509_STORE_free(store)
            ERR_clear_error()
        }
        // The store takes its own reference; the stack borrows ours.
        guard X509_STORE_add_cert(store, anchor.x509) == 1 else { return .failure("the CA cannot be used") }
        for intermediate in intermediates {
            _ = OPENSSL_sk_push(untrusted, UnsafeRawPointer(intermediate.x509))
        }
        guard X509_STORE_CTX_init(context, store, leaf.x509, untrusted) == 1 else { return .failure("out of memory") }
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_time(parameters, time_t(time))
        // A CA whose chain ends below a self-signed root is still an anchor.
        X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            return .failure(String(cString: X509_verify_cert_error_string(Int(code))))
        }
        guard let built = X509_STORE_CTX_get0_chain(context) else { return .failure("no chain") }
        var chain: [Certificate] = []
        for index in 0..<max(0, OPENSSL_sk_num(built)) {
            guard let element = OPENSSL_sk_value(built, index) else { continue }
            let certificate = OpaquePointer(element)
            X509_up_ref(certificate)
            chain.append(Certificate(owning: certificate))
        }
        return .success(chain)
    }
}
