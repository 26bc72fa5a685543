import ArgumentParser
import BitTorrent
import Foundation
import Incentives
import Live
import Scenario
import Speed
import Strategies

/// `--strategy`, `--ledger`, `--account`, `--price`, `--deposit` and the Speed defences
/// (`--refuse-defaulters`, `--leave-withholders`) of `live seed` and `live get`.
struct LiveSpeedOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How this peer trades, as a scenario group's strategy: bittorrent (tit-for-tat), speed (BitTorrent Speed: a seed sells upload slots, a downloader bids and pays per piece; needs --ledger and --account), or any other of \(StrategyRegistry.names.joined(separator: ", ")).",
            valueName: "NAME"))
    var strategy = "bittorrent"

    @Option(help: ArgumentHelp("Ledger file shared by the Speed peers (see `btsim live ledger`).", valueName: "FILE"))
    var ledger: String?

    @Option(help: ArgumentHelp("This peer's account in the ledger.", valueName: "NAME"))
    var account: String?

    @Option(
        help: ArgumentHelp(
            "BTT per GiB: the bid when downloading, the reserve (lowest price sold) when seeding; read exactly, as a scenario's `incentives.price` (\"0.5\" or \"0.5 BTT/GiB\").",
            valueName: "BTT"))
    var price = "1"

    @Option(
        help: ArgumentHelp(
            "BTT a downloader locks in each payment channel (\"5\" or \"5 BTT\", up to 6 decimals).", valueName: "BTT"))
    var deposit = "5"

    @Flag(
        help: ArgumentHelp(
            "Seeding: ignore the bids of a downloader that closed one of our channels with more than a piece's worth unpaid (a scenario's `incentives.refuse_defaulters`)."
        ))
    var refuseDefaulters = false

    @Flag(
        help: ArgumentHelp(
            "Downloading: leave a seed that sold us a slot and served nothing on a fresh channel for the request timeout, 60 s (a scenario's `incentives.leave_withholders`)."
        ))
    var leaveWithholders = false

    /// The peer's strategy, built from the registry as the simulator builds it; a
    /// strategy that trades on the Speed market gets its account from the ledger file.
    /// `uploadBytesPerSecond`: the `--max-upload-rate`, the capacity a strategy may plan with.
    func trader(downloading: Bool, uploadBytesPerSecond: Double?) throws -> LiveTrader {
        guard let definition = StrategyRegistry.named(strategy) else {
            throw BadInput(
                description:
                    "--strategy: expected one of \(StrategyRegistry.names.joined(separator: ", ")), got \(strategy)")
        }
        switch definition.market {
        case .none:
            guard ledger == nil, account == nil else {
                throw BadInput(description: "--ledger and --account are for strategies that trade on the Speed market")
            }
            let handshake = ExtensionHandshake(messages: [:], client: LivePeer.clientName)
            let context = StrategyContext(extensionHandshake: handshake, uploadBytesPerSecond: uploadBytesPerSecond)
            return LiveTrader(strategy: definition.makeStrategy(context).strategy, speed: nil)
        case .speed:
            return try speedTrader(definition, downloading: downloading)
        }
    }

    private func speedTrader(_ definition: StrategyDefinition, downloading: Bool) throws -> LiveTrader {
        guard let ledger, let account else {
            throw BadInput(description: "--strategy \(definition.name) needs --ledger FILE and --account NAME")
        }
        let bid: Price
        let channelDeposit: TokenAmount
        do { bid = try TokenText.price(price) } catch { throw BadInput(description: "--price: \(error)") }
        guard !(downloading && bid == .zero) else {
            throw BadInput(description: "--price: a bid must be above 0 to download, got \(price)")
        }
        do { channelDeposit = try TokenText.amount(deposit, allowZero: false) } catch {
            throw BadInput(description: "--deposit: \(error)")
        }
        let file: LedgerFile
        do { file = try LedgerFile(path: ledger) } catch { throw BadInput(description: "--ledger: \(error)") }
        // Trading on past a ledger that cannot be read or written would pay from balances
        // no other peer sees: stop with the reason instead.
        file.onFailure = { failure in
            FileHandle.standardError.write(Data("error: --ledger: \(failure)\n".utf8))
            Foundation.exit(1)
        }
        let settings = SpeedSettings(
            bidding: .fixed(bid), reserve: downloading ? .zero : bid, channelDeposit: channelDeposit, verifyFraction: 1,
            refuseDefaulters: refuseDefaulters, leaveWithholders: leaveWithholders)
        let market = SpeedMarket(
            settings: settings, chain: ChainSettings(), seed: UInt64.random(in: 0...UInt64.max), store: file,
            sampler: SystemRandomSource())
        guard let peer = file.peer(named: account), let speedAccount = market.account(of: peer, signer: VoucherSigner())
        else {
            throw BadInput(
                description:
                    "--account: \(ledger) has no account \(account); open one with btsim live ledger \(ledger) --open \(account)=100"
            )
        }
        let made = definition.makeStrategy(
            StrategyContext(speed: SpeedAccountContext(market: market, account: speedAccount)))
        return LiveTrader(
            strategy: made.strategy,
            speed: made.trader.map { LiveSpeedTrader(market: market, trader: $0, name: account) })
    }
}

/// How a live peer trades: its strategy object, and its side of the Speed market when
/// it trades there. Unchecked Sendable: made before the peer starts, then touched only on
/// the peer's event loop (as the client touches it).
struct LiveTrader: @unchecked Sendable {
    let strategy: any PeerStrategy
    let speed: LiveSpeedTrader?
}

/// One Speed peer's market side: what it paid or earned, for the closing line.
struct LiveSpeedTrader: @unchecked Sendable {
    let market: SpeedMarket
    let trader: any SpeedTrader
    let name: String

    var summary: String {
        let peer = trader.account.peer
        return "\(name): paid \(market.spent(by: peer)) BTT, earned \(market.earned(by: peer)) BTT, "
            + "ledger balance \(market.balance(trader.account.ledger)) BTT"
    }
}
