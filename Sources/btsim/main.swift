import ArgumentParser
import Foundation
import Scenario

// Large runs are faster on huge pages; this returns only when we should not start again.
HugePages.restartWithHugePagesIfUseful()

// A parent may start us with signals blocked (Foundation's Process does, from a test
// runner): start from an empty mask, before any thread exists, so that Ctrl-C and kill work.
var noSignalsBlocked = sigset_t()
sigemptyset(&noSignalsBlocked)
pthread_sigmask(SIG_SETMASK, &noSignalsBlocked, nil)

// Exit codes are a contract (docs/architecture.md, "Command line"): 0 ok, 1 run failed / regression, 2 bad input.
// swift-argument-parser would exit 64 on a usage error; bad input of any kind is 2 here.
do {
    var command = try BTSim.parseAsRoot()
    try command.run()
} catch let error as ScenarioError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
} catch let error as BadInput {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
} catch let error as RunFailure {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
} catch {
    let code = BTSim.exitCode(for: error)
    if code == .success {
        BTSim.exit(withError: error)
    }
    let message = BTSim.fullMessage(for: error)
    if !message.isEmpty { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
    exit(code == .failure ? 1 : 2)
}
