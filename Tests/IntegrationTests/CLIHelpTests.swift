import Foundation
import Testing
import TestSupport

/// Help text, exit codes and shell completions of the by-hand commands.
@Suite("registry-image help and completions")
struct CLIHelpTests {
    @Test(arguments: ["pull", "push", "tags", "extract", "inspect", "login", "logout", "verify", "sign"])
    func everyCommandShowsAnExample(_ command: String) throws {
        let help = try ResourceRunner.run([command, "--help"])
        #expect(help.status == 0)
        let text = help.stdoutString
        #expect(text.contains("Example"), "\(command): no example in\n\(text)")
        #expect(text.contains("  registry-image \(command) "), "\(command): the example does not run \(command)")
    }

    @Test func topLevelHelpDocumentsExitCodesTransportsAndCompletions() throws {
        let help = try ResourceRunner.run(["--help"])
        #expect(help.status == 0)
        for fragment in ["Exit status: 0 success, 1 error", "2 usage error", "--generate-completion-script",
                         "docker://REF", "dir:DIR", "inspect", "login", "logout"] {
            #expect(help.stdoutString.contains(fragment), "missing '\(fragment)'")
        }
        let unknown = try ResourceRunner.run(["no-such-command"])
        #expect(unknown.status == 2)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsNameTheCommands(_ shell: String) throws {
        let script = try ResourceRunner.run(["--generate-completion-script", shell])
        #expect(script.status == 0, "\(script.stderr)")
        for command in ["inspect", "login", "extract"] {
            #expect(script.stdoutString.contains(command), "\(shell): no \(command)")
        }
    }
}
