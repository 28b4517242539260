import OCIModel
import Testing

@Suite struct ChildProcessTests {
    /// More input than a pipe holds, echoed back by coreutils' `cat`: the
    /// parent must keep draining stdout while it feeds stdin.
    @Test func largeInputEchoedBackDoesNotDeadlock() throws {
        let input = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let outcome = try ChildProcess.run("/bin/cat", arguments: [], input: input)
        #expect(outcome.status == 0)
        #expect(outcome.stdout == input)
        #expect(outcome.stderr.isEmpty)
    }

    @Test func exitStatusAndStandardErrorAreReported() throws {
        let outcome = try ChildProcess.run("/bin/sh", arguments: ["-c", "echo oops >&2; exit 3"], input: [])
        #expect(outcome.status == 3)
        #expect(outcome.stderr == Array("oops\n".utf8))
    }
}
