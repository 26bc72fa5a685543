/// What this binary is, for manifest.json and `btsim --version`.
public enum BuildInfo {
    /// Raised with every change of a contract (docs/architecture.md, "Contracts").
    public static let version = "0.3.0"
    /// The commit the sources were built from (written at build time by Plugins/BuildInfo);
    /// nil outside a git checkout.
    public static let gitCommit: String? = generatedGitCommit.isEmpty ? nil : generatedGitCommit
    /// Whether Sources/, Plugins/ or Package.swift differed from that commit at build time.
    public static let gitDirty: Bool? = gitCommit == nil ? nil : generatedGitDirty

    /// `btsim 0.3.0 (git 1a2b3c4d5e6f, modified)`.
    public static var description: String {
        guard let gitCommit else { return "btsim \(version)" }
        return "btsim \(version) (git \(gitCommit.prefix(12))\(gitDirty == true ? ", modified sources" : ""))"
    }
}
