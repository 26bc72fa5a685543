import BitTorrent
import Incentives
import SimKernel

/// `speed`: BitTorrent Speed (docs/model.md, "Strategies and BitTorrent Speed"). As a requester it bids for the regular slots
/// of every provider it is interested in and pays for what it receives with cumulative
/// vouchers on an escrowed channel; as a provider it sells its regular slots by a
/// uniform-price auction, keeps the optimistic unchoke free, gives slots no bid won to
/// non-bidders by tit-for-tat, and never serves a paid block its escrow cannot cover.
///
/// Split by role: this file holds connection state and message dispatch, `+Requester`
/// the buying side, `+Provider` the selling side.
public final class SpeedStrategy: PeerStrategy {
    /// Our id for `bt_speed` messages (BEP 10 lets each side pick its own).
    public static let messageID: UInt8 = 1
    static let accountKey = "speed_account"

    public let market: SpeedMarket
    public let account: SpeedAccount
    /// Most this peer promises for its download; nil: its whole ledger balance.
    public let budget: TokenAmount?
    var links = LinkTable()
    /// Auto-bid state (nil for fixed bids).
    var autoBidder: AutoBidder?
    /// Voucher value promised over the whole download (what the budget limits).
    var promised = TokenAmount.zero
    /// Whether this requester pays what it receives (`SpeedPayment`).
    public let payment: SpeedPayment
    /// Whether this provider serves the slots it sells (`SpeedDelivery`).
    public let delivery: SpeedDelivery
    /// How this requester turns the bidding rule's price into a bid (`SpeedBidStyle`).
    public let bidStyle: SpeedBidStyle
    /// As a requester: the accounts that sold us a slot and served nothing on it
    /// (`SpeedSettings.leaveWithholders`); we bid there no more.
    public internal(set) var withholders: Set<AccountID> = []
    /// As a provider: the accounts that closed one of our channels with more than a
    /// piece's worth unpaid (`SpeedSettings.refuseDefaulters`).
    public internal(set) var defaulters: Set<AccountID> = []
    /// As a provider: the largest service left unpaid on one of our channels, and the
    /// total over all of them, at the price each was sold (the invariant of docs/model.md:
    /// never more than one deposit per channel).
    public internal(set) var largestUnpaidChannel = TokenAmount.zero
    public internal(set) var unpaidService = TokenAmount.zero

    public init(
        market: SpeedMarket, account: SpeedAccount, budget: TokenAmount? = nil, payment: SpeedPayment = .honest,
        delivery: SpeedDelivery = .honest, bidStyle: SpeedBidStyle = .rule
    ) {
        self.market = market
        self.account = account
        self.payment = payment
        self.delivery = delivery
        self.bidStyle = bidStyle
        self.budget = budget ?? market.settings.budget
        if case .auto(let rate, let ceiling) = market.settings.bidding {
            autoBidder = AutoBidder(spendingRate: rate, ceiling: ceiling)
        }
    }

    public func extensionHandshake(client: TorrentClient) -> ExtensionHandshake? {
        var fields = BencodeDictionary()
        fields[Self.accountKey] = .integer(Int64(account.ledger.index))
        return ExtensionHandshake(
            messages: [SpeedMessage.extensionName: Self.messageID], client: "btsim", fields: fields)
    }

    public func received(
        _ handshake: ExtensionHandshake, on id: ConnectionID, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) {
        var link = links[id] ?? SpeedLink(id: id)
        link.remoteMessageID = handshake.messages[SpeedMessage.extensionName]
        // Validated here, where it enters: later it indexes the ledger's arrays.
        link.remoteAccount = handshake.fields[Self.accountKey]?.integerValue
            .flatMap(market.peerLedgerAccount(index:)).flatMap { $0 == account.ledger ? nil : $0 }
        links[id] = link
        if client.session(id)?.amInterested == true { bidIfNeeded(on: id, client: client, now: now, out: &out) }
    }

    public func received(
        extension message: UInt8, payload: [UInt8], on id: ConnectionID, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) throws(ProtocolViolation) {
        guard message == Self.messageID, links[id]?.speaksSpeed == true else { return }
        switch try SpeedMessage(decoding: payload) {
        case .bid(let price): receivedBid(price, on: id, client: client, now: now, out: &out)
        case .accept(let price): receivedAccept(price, on: id, client: client, now: now, out: &out)
        case .open(let channel, let deposit, let key):
            try receivedOpen(channel, deposit: deposit, key: key, on: id, client: client, now: now, out: &out)
        case .voucher(let voucher): try receivedVoucher(voucher, on: id, now: now)
        case .close(let channel): receivedClose(channel, on: id, client: client, now: now, out: &out)
        case .release: receivedRelease(on: id, client: client, now: now, out: &out)
        }
    }

    public func connectionClosed(_ id: ConnectionID, client: TorrentClient, now: SimTime) {
        guard let link = links.remove(id) else { return }
        // The provider settles what it was promised; the requester just forgets its side.
        if let payee = link.payee {
            settle(payee, link: link, now: now)
            _ = noteDefault(link, payee, client: client)
        }
    }

    /// Sends `message` to the remote on `id`, and tells the client's trace about the
    /// messages a trace shows (`PeerEventKind`).
    func send(_ message: SpeedMessage, on id: ConnectionID, client: TorrentClient, out: inout [ClientAction]) {
        guard let remote = links[id]?.remoteMessageID else { return }
        out.append(.send(id, .extended(id: remote, payload: message.encoded())))
        guard let trace = client.trace else { return }
        let kind: PeerEventKind? =
            switch message {
            case .bid: .bid
            case .accept: .accept
            case .voucher: .voucher
            case .open, .close, .release: nil
            }
        if let kind { trace(kind, client.session(id)?.address) }
    }
}

/// Whether a Speed requester pays for what it receives on a sold slot.
public enum SpeedPayment: Sendable {
    /// A voucher per piece's worth, as BitTorrent Speed does.
    case honest
    /// Never a voucher: it takes what a channel's deposit lets the provider serve, closes
    /// the channel unpaid (its escrow comes back) and opens the next (issue 23, cheats
    /// against Speed).
    case never
}

/// Whether a Speed provider serves the slots it sells.
public enum SpeedDelivery: Sendable {
    /// Every block its escrow covers, as BitTorrent Speed does.
    case honest
    /// Nothing: it sells the slot, accepts the channel's escrow and sends no block on it,
    /// while keeping the slot sold for as long as the requester bids (issue 23, cheats
    /// against Speed). Its free slots it serves as any peer.
    case withholds
}

/// How a Speed requester bids.
public enum SpeedBidStyle: Sendable {
    /// The bidding rule's price (fixed or auto), to every provider.
    case rule
    /// Bid shading: once a provider has sold it a slot at a clearing price (the highest
    /// losing bid, or the reserve), it bids one base unit per GiB above that price there,
    /// the least it can infer would still win; when the slot is taken back it returns to
    /// the rule's price (issue 23, cheats against Speed).
    case shaded
    /// The rule's ceiling, whatever its balance: the fixed price, or the auto rule's cap.
    /// A self-dealing farm's leechers bid so, to win their own farmer's slots (issue 23).
    case ceiling
}
