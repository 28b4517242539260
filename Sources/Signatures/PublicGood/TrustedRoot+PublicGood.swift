import FoundationEssentials

extension TrustedRoot {
    /// The sigstore public-good instance's root, as shipped with the
    /// resource (see PublicGood/README.md for where and when it was taken).
    public static func publicGood() throws(SignatureError) -> TrustedRoot {
        try parsedPublicGood.get()
    }

    /// Parsed once per process.
    private static let parsedPublicGood = Result { () throws(SignatureError) -> TrustedRoot in
        try TrustedRoot(json: Data(PublicGoodTrustedRootJSON.text.utf8))
    }
}
