import Glibc

/// Runs a program to completion with `input` on its stdin, collecting its
/// stdout and stderr (posix_spawn and one poll loop: what Foundation's
/// `Process` and `Pipe` did here, without their threads).
public struct ChildProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public static func run(_ path: String, arguments: [String], input: [UInt8]) throws(LaunchError) -> Outcome {
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            let reason = String(cString: strerror(errno))
            for fd in stdinPipe + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
            throw LaunchError(reason: "cannot create pipes: \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], STDERR_FILENO)
        // The child keeps only its three standard streams of these pipes.
        for fd in stdinPipe + stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard spawned == 0 else {
            close(stdinPipe[1])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw LaunchError(reason: String(cString: strerror(spawned)))
        }
        let (stdout, stderr) = exchange(input: input, stdin: stdinPipe[1], stdout: stdoutPipe[0], stderr: stderrPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, else 128 + the signal, as a shell reports it.
        let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: exitStatus, stdout: stdout, stderr: stderr)
    }

    /// Writes `input` and reads both outputs until they close, all in one
    /// poll loop, so a helper that writes before it reads cannot deadlock.
    private static func exchange(input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32) -> ([UInt8], [UInt8]) {
        // A helper that exits without reading its input must not kill us with
        // SIGPIPE: blocked here, the write fails with EPIPE instead, and the
        // pending signal is taken before the mask is restored.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var noWait = timespec()
            while sigtimedwait(&pipeSignal, nil, &noWait) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }
        var outputs: [[UInt8]] = [[], []]
        var written = 0
        var writing: Int32 = input.isEmpty ? -1 : stdin
        if writing < 0 { close(stdin) }
        var reading: [Int32] = [stdout, stderr]
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while writing >= 0 || reading.contains(where: { $0 >= 0 }) {
            var polled = [pollfd(fd: writing, events: Int16(POLLOUT), revents: 0)]
                + reading.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else { break }
            if writing >= 0 && polled[0].revents != 0 {
                // At most PIPE_BUF: what POLLOUT promises fits without blocking
                // (a longer blocking write would wait on a child that waits on us).
                let end = min(written + Int(PIPE_BUF), input.count)
                let count = input[written..<end].withUnsafeBytes { write(writing, $0.baseAddress, $0.count) }
                if count > 0 { written += count }
                if (count < 0 && errno != EINTR && errno != EAGAIN) || written == input.count {
                    close(writing)
                    writing = -1
                }
            }
            for index in reading.indices where reading[index] >= 0 && polled[index + 1].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(reading[index], $0.baseAddress, $0.count) }
                if count > 0 {
                    outputs[index] += chunk[0..<count]
                } else if count == 0 || errno != EINTR {
                    close(reading[index])
                    reading[index] = -1
                }
            }
        }
        return (outputs[0], outputs[1])
    }
}
