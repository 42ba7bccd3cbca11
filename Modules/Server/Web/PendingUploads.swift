import AppSupport
import Foundation
import Storage

/// Files uploaded on the data page and not yet imported: kept with their preview so that a
/// user can look, choose another mapping and import without sending the file again. Each is
/// its uploader's alone, and goes (with its file) after an hour or when its uploader has
/// uploaded three newer ones.
actor PendingUploads {
    struct Entry: Sendable {
        let id: String
        var upload: Upload
        /// A shipped mapping's name, when no mapping was uploaded.
        var mappingName: String?
        let owner: String
        let kommune: AreaCode
        let year: Int
        let size: Int64
        let created: Date
        var preview: Preview
        /// After the import: what it wrote. The file is gone by then.
        var imported: FileImporter.Summary?
        /// An import of it is running: nothing else may change it.
        var importing = false
    }

    /// What the file holds, and what an import would write (or why it cannot).
    struct Preview: Sendable {
        var inspection: Result<FileInspection, Problem>
        var dryRun: Result<FileImporter.Summary, Problem>?
    }

    private var entries: [String: Entry] = [:]
    private let lifetime: TimeInterval
    private let perOwner = 3

    /// What time it is: an upload goes `lifetime` after it came.
    private let clock: AppClock

    init(clock: AppClock, lifetime: TimeInterval = 3600) {
        self.clock = clock
        self.lifetime = lifetime
    }

    /// The server stops: the files go with it.
    deinit {
        for entry in entries.values { entry.upload.remove() }
    }

    /// Keeps a new upload and returns its id.
    func add(_ make: (String) -> Entry) -> String {
        sweep()
        let id = UUID().uuidString.lowercased()
        let entry = make(id)
        let own = entries.values.filter { $0.owner == entry.owner }.sorted { $0.created < $1.created }
        for old in own.dropLast(perOwner - 1) { drop(old.id) }
        entries[id] = entry
        return id
    }

    /// The upload, if it is `owner`'s and still kept.
    func entry(_ id: String, owner: String) -> Entry? {
        sweep()
        guard let entry = entries[id], entry.owner == owner else { return nil }
        return entry
    }

    /// The upload, marked as being imported, if it is `owner`'s, still kept, and neither imported
    /// nor being imported: of two clicks on Importér at once, one imports and one gets `nil`.
    func claimForImport(_ id: String, owner: String) -> Entry? {
        sweep()
        guard var entry = entries[id], entry.owner == owner, entry.imported == nil, !entry.importing else { return nil }
        entry.importing = true
        entries[id] = entry
        return entry
    }

    /// A new preview, unless an import of the upload began meanwhile (its result wins).
    func replace(_ entry: Entry) {
        guard let kept = entries[entry.id], !kept.importing, kept.imported == nil else { return }
        entries[entry.id] = entry
    }

    /// The import claimed by `claimForImport` is over: its result, or its refusal.
    func finishImport(_ entry: Entry) {
        guard entries[entry.id] != nil else { return }
        var done = entry
        done.importing = false
        entries[entry.id] = done
    }

    private func sweep() {
        let now = clock.now
        // An upload being imported stays until its import ends, however old.
        for entry in entries.values where now.timeIntervalSince(entry.created) > lifetime && !entry.importing { drop(entry.id) }
    }

    private func drop(_ id: String) {
        entries.removeValue(forKey: id)?.upload.remove()
    }
}
