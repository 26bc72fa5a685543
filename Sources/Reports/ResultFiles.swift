/// The names of the files in a results folder (docs/metrics.md), declared once: the writers
/// in `Experiments` and the readers here (`btsim report`, `regress`) use these.
public enum ResultFiles {
    /// Per-run tables, in the order they are written; storage.csv, files.csv and hosts.csv
    /// only for scenarios with a storage market, torrents.csv for those with a swarm,
    /// torrent_timeseries.csv for catalogues and users.csv for catalogues with users.
    public static let tables = [
        "peers.csv", "timeseries.csv", "summary.csv", "groups.csv", "payments.csv", "storage.csv", "files.csv",
        "hosts.csv", torrents, torrentTimeseries, users,
    ]
    public static let torrents = "torrents.csv"
    public static let torrentTimeseries = "torrent_timeseries.csv"
    public static let users = "users.csv"
    public static let summary = "summary.csv"
    public static let groups = "groups.csv"
    /// What `btsim merge` needs: the kind, the replications and the folders.
    public static let experiment = "experiment.csv"
    /// Provenance: what produced the folder (docs/architecture.md, "Provenance").
    public static let manifest = "manifest.json"
    /// The scenario a folder's runs used, after variants and `--set`; `btsim run` reproduces them.
    public static let resolvedScenario = "scenario.resolved.yaml"
}
