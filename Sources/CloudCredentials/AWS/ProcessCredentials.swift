import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let data: Data
        do {
            try process.run()
            // Read before waiting: a large output would fill the pipe.
            data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        } catch {
            throw .unreachable(what: what, reason: "cannot start /bin/sh: \(error.localizedDescription)")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw .badResponse(what: what, reason: "the command failed (status \(process.terminationStatus))")
        }
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
