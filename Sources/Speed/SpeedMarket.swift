import Incentives
import SimKernel

/// One peer's presence on the market: its ledger account (pays and earns), its chain
/// wallet, and its voucher-signing key.
public struct SpeedAccount: Sendable {
    public let peer: Int
    public let ledger: AccountID
    public let wallet: AccountID
    public let signer: VoucherSigner
}

/// The shared money of one run: the in-app ledger, the chain it settles on, the open
/// channels' terms, and the payment log. In Live this is the ledger service both peers
/// talk to; in the simulator every Speed strategy of a run holds the same instance.
///
/// The world account holds BTT's whole supply at genesis and the ledger is sealed, so
/// every later change is a transfer and conservation can be checked exactly.
public final class SpeedMarket {
    /// BTT's total supply (990 billion), the genesis balance of the world account.
    public static let genesisSupply = TokenAmount.btt(990_000_000_000)

    public let settings: SpeedSettings
    public private(set) var ledger = TokenLedger()
    public private(set) var chain: Chain
    let world: AccountID
    let escrow: AccountID
    private let seed: UInt64
    private let sampler: RandomStream
    private var channels: [UInt64: ChannelTerms] = [:]
    private var accruedOnChannel: [UInt64: TokenAmount] = [:]
    private var nextChannel: UInt64 = 1
    /// Peer of each account (nil for system accounts), and who pays each pending fee.
    private var owner: [Int?] = []
    private var feePayers: [TransactionID: AccountID] = [:]
    /// Deposits submitted and not yet credited (or failed), by transaction.
    private var deposits: [TransactionID: AccountID] = [:]
    public private(set) var records: [PaymentRecord] = []
    /// Per peer: settled payments, and voucher value accepted as payee (earnings as they
    /// accrue, before settlement). Peers without an account have none.
    private(set) var spent: [TokenAmount] = []
    private(set) var earned: [TokenAmount] = []
    private(set) var accrued: [TokenAmount] = []
    /// Voucher value accepted by all providers so far.
    public private(set) var transferred = TokenAmount.zero

    public init(settings: SpeedSettings, chain chainSettings: ChainSettings, seed: UInt64) {
        self.settings = settings
        self.seed = seed
        sampler = RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .voucherSampling))
        var ledger = TokenLedger()
        world = ledger.openAccount(.world)
        escrow = ledger.openAccount(.escrow)
        let fees = ledger.openAccount(.fees)
        let exchange = ledger.openAccount(.exchange)
        do { try ledger.mint(Self.genesisSupply, to: world) } catch { preconditionFailure("genesis: \(error)") }
        ledger.seal()
        self.ledger = ledger
        chain = Chain(settings: chainSettings, feeSink: fees, exchange: exchange)
        owner = [nil, nil, nil, nil]
    }

    /// Opens `peer`'s accounts with its starting balances (taken from the world) and
    /// derives its signing key from the run's seed.
    public func join(peer: Int, ledger ledgerFunds: TokenAmount, wallet walletFunds: TokenAmount) -> SpeedAccount {
        let l = ledger.openAccount(.ledger(peer: peer))
        let w = ledger.openAccount(.wallet(peer: peer))
        owner += [peer, peer]
        while spent.count <= peer {
            spent.append(.zero)
            earned.append(.zero)
            accrued.append(.zero)
        }
        for (account, amount) in [(l, ledgerFunds), (w, walletFunds)] where amount > .zero {
            do { try ledger.transfer(amount, from: world, to: account) } catch {
                preconditionFailure("the world cannot fund a peer: \(error)")
            }
        }
        var bytes: [UInt8] = []
        for k in 0..<4 {
            let word = SeedDerivation.seed(master: seed, purpose: .signingKey, UInt64(peer), UInt64(k))
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        guard let signer = try? VoucherSigner(seed: bytes) else { preconditionFailure("32-byte Ed25519 seed") }
        return SpeedAccount(peer: peer, ledger: l, wallet: w, signer: signer)
    }

    public func balance(_ account: AccountID) -> TokenAmount { ledger.balance(account) }

    public func spent(by peer: Int) -> TokenAmount { peer < spent.count ? spent[peer] : .zero }
    public func earned(by peer: Int) -> TokenAmount { peer < earned.count ? earned[peer] : .zero }
    public func accrued(by peer: Int) -> TokenAmount { peer < accrued.count ? accrued[peer] : .zero }
    /// Everything paid to providers in settled channels.
    public private(set) var volume = TokenAmount.zero

    // MARK: channels

    /// Locks `deposit` from the payer's ledger account for a new channel to `payee`.
    public func openChannel(from payer: SpeedAccount, to payee: AccountID, deposit: TokenAmount, now: SimTime)
        throws(LedgerError) -> ChannelTerms
    {
        let terms = ChannelTerms(
            id: nextChannel, payer: payer.ledger, payee: payee, deposit: deposit, payerKey: payer.signer.publicKey)
        try PaymentChannel.open(terms, escrow: escrow, ledger: &ledger)
        nextChannel += 1
        channels[terms.id] = terms
        records.append(
            PaymentRecord(
                time: now, kind: .open, payer: payer.peer, payee: owner[payee.index], amount: deposit,
                channel: terms.id, vouchers: 0))
        return terms
    }

    /// The terms of an open channel, as the ledger holds them: the provider trusts these,
    /// not what the requester's `open` message claims.
    public func terms(of channel: UInt64) -> ChannelTerms? { channels[channel] }

    /// The channel was opened on this ledger once (it may be settled since).
    public func existed(_ channel: UInt64) -> Bool { channel >= 1 && channel < nextChannel }

    /// Whether the provider checks this voucher's signature (always in Live).
    public func shouldVerify() -> Bool { sampler.bernoulli(settings.verifyFraction) }

    /// A provider accepted a voucher on `channel` raising what it is owed by `amount`.
    public func accrue(_ amount: TokenAmount, on channel: UInt64) {
        guard let terms = channels[channel], let peer = owner[terms.payee.index] else { return }
        accrued[peer] += amount
        transferred += amount
        accruedOnChannel[channel, default: .zero] += amount
    }

    /// Closes a channel with the best voucher either side holds (the requester closing
    /// with the last one it signed, or the provider with the last one it received; the
    /// first close settles): pays it, refunds the rest, and logs the settlement on chain
    /// (fee from the provider's ledger account). A voucher whose signature fails pays
    /// nothing.
    public func settle(
        _ terms: ChannelTerms, voucher: Voucher?, vouchers: Int, lastVoucherAt: SimTime, now: SimTime
    ) {
        guard channels.removeValue(forKey: terms.id) != nil else { return }
        var payee = ChannelPayee(terms: terms)
        if let voucher { try? payee.accept(voucher, verifySignature: false) }
        let settlement: Settlement
        do { settlement = try PaymentChannel.close(payee, escrow: escrow, ledger: &ledger) } catch {
            // `close` checks the last voucher's signature: a forged one pays nothing.
            do {
                settlement = try PaymentChannel.close(ChannelPayee(terms: terms), escrow: escrow, ledger: &ledger)
            } catch {
                preconditionFailure("a channel without vouchers always closes: \(error)")
            }
        }
        // A last voucher still in flight when the channel closed counts as earned now.
        let unseen = settlement.paid - (accruedOnChannel.removeValue(forKey: terms.id) ?? .zero)
        if unseen > .zero, let peer = owner[terms.payee.index] {
            accrued[peer] += unseen
            transferred += unseen
        }
        let payer = owner[terms.payer.index]
        let receiver = owner[terms.payee.index]
        if vouchers > 0 && settlement.paid > .zero {
            records.append(
                PaymentRecord(
                    time: lastVoucherAt, kind: .voucher, payer: payer, payee: receiver, amount: settlement.paid,
                    channel: terms.id, vouchers: vouchers))
        }
        for (kind, amount, to) in [
            (PaymentRecord.Kind.close, settlement.paid, receiver), (.refund, settlement.refunded, payer),
        ]
        where amount > .zero {
            records.append(
                PaymentRecord(
                    time: now, kind: kind, payer: payer, payee: to, amount: amount, channel: terms.id, vouchers: 0))
        }
        if let payer { spent[payer] += settlement.paid }
        if let receiver { earned[receiver] += settlement.paid }
        volume += settlement.paid
        submit(.settlement(settlement), feePayer: terms.payee, now: now)
    }

    // MARK: chain

    /// Moves wallet funds to the ledger (fee from the wallet); credited after the
    /// exchange delay. False when below the chain's minimum.
    @discardableResult
    public func deposit(_ amount: TokenAmount, for account: SpeedAccount, now: SimTime) -> Bool {
        let tx = ChainTransaction.deposit(wallet: account.wallet, ledger: account.ledger, amount: amount)
        guard let id = submit(tx, feePayer: account.wallet, now: now) else { return false }
        deposits[id] = account.ledger
        return true
    }

    /// A deposit to `account`'s ledger is on its way.
    public func hasPendingDeposit(_ account: SpeedAccount) -> Bool { deposits.values.contains(account.ledger) }

    /// Fees that `account` will pay for transactions already submitted.
    public func pendingFees(of account: AccountID) -> TokenAmount {
        TokenAmount(baseUnits: chain.settings.fee.baseUnits * Int64(feePayers.values.filter { $0 == account }.count))
    }

    /// Moves ledger funds to the wallet (fee from the ledger).
    @discardableResult
    public func withdraw(_ amount: TokenAmount, for account: SpeedAccount, now: SimTime) -> Bool {
        submit(
            .withdrawal(ledger: account.ledger, wallet: account.wallet, amount: amount), feePayer: account.ledger,
            now: now) != nil
    }

    @discardableResult
    private func submit(_ tx: ChainTransaction, feePayer: AccountID, now: SimTime) -> TransactionID? {
        guard let id = try? chain.submit(tx, feePayer: feePayer, now: now) else { return nil }
        feePayers[id] = feePayer
        return id
    }

    /// When the chain next has work (a block with transactions, or a credit due).
    public var nextChainDeadline: SimTime? { chain.nextDeadline }

    /// Produces the blocks and credits due by `now`, logging fees and credits.
    public func advanceChain(to now: SimTime) {
        for event in chain.advance(to: now, ledger: &ledger) {
            switch event {
            case .included(let id, _, _, let fee, let at):
                let payer = feePayers.removeValue(forKey: id).flatMap { owner[$0.index] }
                if fee > .zero {
                    records.append(
                        PaymentRecord(
                            time: at, kind: .fee, payer: payer, payee: nil, amount: fee, channel: nil, vouchers: 0))
                }
            case .failed(let id, _, _, _):
                feePayers[id] = nil
                deposits[id] = nil
            case .credited(let id, .deposit(_, let to, let amount), let at):
                deposits[id] = nil
                records.append(
                    PaymentRecord(
                        time: at, kind: .deposit, payer: owner[to.index], payee: owner[to.index], amount: amount,
                        channel: nil, vouchers: 0))
            case .credited(_, .withdrawal(let from, _, let amount), let at):
                records.append(
                    PaymentRecord(
                        time: at, kind: .withdraw, payer: owner[from.index], payee: owner[from.index], amount: amount,
                        channel: nil, vouchers: 0))
            case .credited:
                break
            }
        }
    }

    /// Total supply unchanged and no balance negative.
    public var isConserved: Bool { ledger.isConserved }
}
