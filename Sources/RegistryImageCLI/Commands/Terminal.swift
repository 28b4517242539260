import ArgumentParser
import FoundationEssentials
import Glibc
import OCIModel

/// The process's standard streams: responses on stdout, everything a person
/// reads on stderr, and every failure as one line with a non-zero exit.
enum Terminal {
    static func readStandardInput() throws -> [UInt8] {
        StandardStream.readInput()
    }

    static func writeStandardOutput(_ data: Data) {
        StandardStream.write(Array(data) + [0x0A], to: STDOUT_FILENO)
    }

    static func writeError(_ line: String) {
        StandardStream.writeError(line + "\n")
    }

    /// A Concourse command: the request read from stdin, the response
    /// written to stdout, a failure reported as by `reportingFailure`.
    static func answeringStandardInput(_ respond: ([UInt8]) throws -> Data) throws {
        try reportingFailure { writeStandardOutput(try respond(try readStandardInput())) }
    }

    /// Runs `body`; a thrown error becomes `error: <one line>` on stderr and
    /// exit status 1, never a crash or a stack trace.
    static func reportingFailure(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            writeError("error: \(oneLine(error))")
            throw ExitCode.failure
        }
    }

    static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
