import FoundationEssentials
import OCIModel

/// A profile's `credential_process`: a command run through `/bin/sh -c`
/// whose standard output is the SDKs' JSON document (`Version` 1,
/// `AccessKeyId`, `SecretAccessKey`, optional `SessionToken`). Its output and
/// its standard error are never shown: either may hold a secret.
struct ProcessCredentials {
    let command: String
    let profile: String

    private struct Document: Decodable {
        let Version: Int?
        let AccessKeyId: String?
        let SecretAccessKey: String?
        let SessionToken: String?
    }

    func fetch() throws(CloudAuthError) -> AWSCredentials {
        let what = "credential_process of profile \(profile)"
        // Its standard error is collected and dropped: it may hold a secret.
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run("/bin/sh", arguments: ["-c", command], input: [])
        } catch {
            throw .unreachable(what: what, reason: "cannot start /bin/sh: \(error.reason)")
        }
        guard outcome.status == 0 else {
            throw .badResponse(what: what, reason: "the command failed (status \(outcome.status))")
        }
        let data = Data(outcome.stdout)
        guard let document = try? JSONDecoder().decode(Document.self, from: data) else {
            throw .badResponse(what: what, reason: "its output is not a credentials JSON document")
        }
        guard document.Version == 1 else {
            throw .badResponse(what: what, reason: "Version must be 1")
        }
        guard let id = document.AccessKeyId, !id.isEmpty, let secret = document.SecretAccessKey, !secret.isEmpty else {
            throw .badResponse(what: what, reason: "no AccessKeyId/SecretAccessKey")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: document.SessionToken,
                              origin: "credential_process of profile \(profile)")
    }
}
