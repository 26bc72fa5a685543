import ArgumentParser
import Foundation
import Incentives
import Live
import Scenario
import Speed

extension LiveCommand {
    /// `btsim live ledger`: opens accounts on a shared Speed ledger file and shows it.
    struct LedgerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Open accounts on a BitTorrent Speed ledger file and show balances and payments.",
            discussion: """
                The file is the in-app ledger and chain that `live seed` and `live get` with
                --strategy speed share between processes. It is created on first use; each
                account is funded from BTT's genesis supply, so every token stays accounted for.
                Example: btsim live ledger bank.json --open seeder=0 --open leecher=100
                """)

        @Argument(help: "The ledger file.")
        var file: String

        @Option(
            name: .customLong("open"),
            help: ArgumentHelp("Open an account with this many BTT on its ledger (repeatable).", valueName: "NAME=BTT"))
        var accounts: [String] = []

        func run() throws {
            let opening = try accounts.map(Self.parseAccount)
            guard Set(opening.map(\.0)).count == opening.count else {
                throw BadInput(description: "--open: each account name once")
            }
            let ledger: LedgerFile
            do { ledger = try LedgerFile(path: file) } catch { throw BadInput(description: "\(error)") }
            let market = SpeedMarket(
                settings: SpeedSettings(bidding: .fixed(.zero)), chain: ChainSettings(), seed: 0, store: ledger)
            // One lock for all: names are checked and opened against the same state.
            let problem: String? = ledger.exclusively {
                if let name = opening.map(\.0).first(where: { ledger.peer(named: $0) != nil }) {
                    return "\(file) already has an account \(name)"
                }
                // Compared against what is left, so the running total never overflows.
                var total = TokenAmount.zero
                for (_, funds) in opening {
                    guard funds <= market.unallocated - total else {
                        return "the accounts would hold more than the \(market.unallocated) BTT left of BTT's supply"
                    }
                    total = total + funds
                }
                for (name, funds) in opening {
                    _ = market.join(peer: ledger.addAccount(named: name), ledger: funds, wallet: .zero)
                }
                return nil
            }
            if let problem { throw BadInput(description: "--open: \(problem)") }
            print(Self.describe(market, ledger: ledger))
        }

        static func parseAccount(_ text: String) throws -> (String, TokenAmount) {
            let parts = text.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw BadInput(description: "--open: expected NAME=BTT such as leecher=100, got \(text)")
            }
            do { return (String(parts[0]), try TokenText.amount(String(parts[1]), allowZero: true)) } catch {
                throw BadInput(description: "--open \(text): \(error)")
            }
        }

        /// Accounts with their balances, then the payment log with wall-clock times.
        static func describe(_ market: SpeedMarket, ledger: LedgerFile) -> String {
            let conserved = market.isConserved ? "every token accounted for" : "NOT CONSERVED"
            var lines = ["\(ledger.path): \(ledger.accounts.count) accounts, \(conserved)"]
            let widths = [10, 14, 14, 14, 14]
            lines.append(
                SummaryPrinter.row(["account", "ledger BTT", "wallet BTT", "paid BTT", "earned BTT"], widths: widths))
            for (peer, name) in ledger.accounts.enumerated() {
                guard let account = market.account(of: peer, signer: VoucherSigner()) else { continue }
                let amounts = [
                    market.balance(account.ledger), market.balance(account.wallet), market.spent(by: peer),
                    market.earned(by: peer),
                ]
                lines.append(SummaryPrinter.row([name] + amounts.map { "\($0)" }, widths: widths))
            }
            let records = market.records
            lines.append(records.isEmpty ? "no payments yet" : "payments:")
            let clock = ISO8601DateFormatter()
            for r in records {
                let when = clock.string(from: Date(timeIntervalSince1970: r.time.seconds))
                let name = { (peer: Int?) in peer.map { ledger.accounts[$0] } ?? "-" }
                let channel = r.channel.map { " channel \($0)" } ?? ""
                let vouchers = r.kind == .voucher ? " (\(r.vouchers) vouchers)" : ""
                lines.append(
                    "  \(when) \(r.kind.rawValue) \(name(r.payer)) -> \(name(r.payee)) \(r.amount) BTT\(channel)\(vouchers)"
                )
            }
            return lines.joined(separator: "\n")
        }
    }
}
