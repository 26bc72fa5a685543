/// A run's money at its start: a sealed ledger whose world account holds BTT's whole
/// supply, an escrow account, and a chain with its fee sink and exchange. Every market
/// (Speed's channels, BTFS's contracts) starts from this, so each can check conservation
/// exactly: after genesis tokens only move.
public struct Genesis: Sendable {
    /// BTT's total supply (990 billion).
    public static let supply = TokenAmount.btt(990_000_000_000)

    public var ledger = TokenLedger()
    public let world: AccountID
    public let escrow: AccountID
    public var chain: Chain

    public init(chain settings: ChainSettings) {
        world = ledger.openAccount(.world)
        escrow = ledger.openAccount(.escrow)
        let fees = ledger.openAccount(.fees)
        let exchange = ledger.openAccount(.exchange)
        do { try ledger.mint(Self.supply, to: world) } catch { preconditionFailure("genesis: \(error)") }
        ledger.seal()
        chain = Chain(settings: settings, feeSink: fees, exchange: exchange)
    }
}
