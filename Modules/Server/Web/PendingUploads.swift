import AppSupport
import Foundation
import Storage

/// Files uploaded on the data page and not yet imported, kept so that a user can look, choose
/// another mapping and import without sending the file again. Each is its uploader's alone, and
/// goes (with its file) after an hour or when its uploader has uploaded three newer ones.
///
/// They live in a folder every server process sees (`--upload-dir`; the system's temporary folder
/// by default), because upload, preview and import are three requests that a load balancer may
/// send to three processes:
///
///     <dir>/<id>/upload       the file
///     <dir>/<id>/entry.json   who uploaded it for which kommune and year, the mapping, and, once
///                             imported, what the import wrote or why it failed
///     <dir>/<id>/importing    while an import runs: made exclusively, so of two clicks on
///                             Importér (in any two processes) one imports
///
/// A preview (what the file holds, and a dry run) is kept by the process that made it; another
/// process makes its own when first asked, from the same file and store.
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
        /// This process's preview; `nil` where it has not made one.
        var preview: Preview?
        /// After the import: what it wrote. The file is gone by then.
        var imported: FileImporter.Summary?
        /// The import was tried and refused.
        var importFailure: Problem?
        /// An import of it is running: nothing else may change it.
        var importing = false
    }

    /// What the file holds, and what an import would write (or why it cannot).
    struct Preview: Sendable {
        var inspection: Result<FileInspection, Problem>
        var dryRun: Result<FileImporter.Summary, Problem>?
    }

    /// `entry.json`: what every process must know of an upload.
    private struct Record: Codable {
        let id: String
        let owner: String
        let kommune: String
        let year: Int
        let size: Int64
        let created: Date
        let name: String
        var mapping: String?
        var mappingName: String?
        var imported: FileImporter.Summary?
        var importFailure: Problem?

        init(_ entry: Entry) {
            id = entry.id
            owner = entry.owner
            kommune = entry.kommune.rawValue
            year = entry.year
            size = entry.size
            created = entry.created
            name = entry.upload.name
            mapping = entry.upload.mapping
            mappingName = entry.mappingName
            imported = entry.imported
            importFailure = entry.importFailure
        }
    }

    let directory: URL
    private let lifetime: TimeInterval
    private let perOwner = 3
    /// What time it is: an upload goes `lifetime` after it came.
    private let clock: AppClock
    /// The previews this process made, by upload and the mapping they were made with.
    private var previews: [String: (mapping: String, preview: Preview)] = [:]

    init(directory: URL, clock: AppClock, lifetime: TimeInterval = 3600) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Ours alone: not a link someone else laid in a shared temporary folder, nor another user's.
        var status = stat()
        guard lstat(directory.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == geteuid() else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: directory.path])
        }
        _ = chmod(directory.path, 0o700)
        self.directory = directory
        self.clock = clock
        self.lifetime = lifetime
    }

    /// The folder a server uses when none is named: one per database, shared by the processes of
    /// one machine on it (the name is a hash of the database's address: FNV-1a, stable across runs).
    static func defaultDirectory(for database: DatabaseLocation) -> URL {
        let name = switch database {
        case .file(let path): URL(fileURLWithPath: path).standardizedFileURL.path  // the same file however it is named
        default: "\(database)"
        }
        let hash = name.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        return FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-uploads-" + String(hash, radix: 16))
    }

    /// Keeps a new upload (its file moves into the folder) and returns its id.
    func add(_ make: (String) -> Entry) throws -> String {
        sweep()
        let id = UUID().uuidString.lowercased()
        var entry = make(id)
        for old in records().filter({ $0.owner == entry.owner }).sorted(by: { $0.created < $1.created }).dropLast(perOwner - 1) {
            drop(old.id)
        }
        let folder = folder(id)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let file = folder.appendingPathComponent("upload")
            try FileManager.default.moveItem(atPath: entry.upload.path, toPath: file.path)
            entry.upload = Upload(path: file.path, name: entry.upload.name, mapping: entry.upload.mapping)
            try save(Record(entry))
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        remember(entry)
        return id
    }

    /// The upload, if it is `owner`'s and still kept.
    func entry(_ id: String, owner: String) -> Entry? {
        sweep()
        guard let record = record(id), record.owner == owner else { return nil }
        return entry(record)
    }

    /// Keeps this process's preview of the upload.
    func remember(_ entry: Entry) {
        guard let preview = entry.preview else { return }
        previews[entry.id] = (Self.mappingKey(entry.upload.mapping, entry.mappingName), preview)
    }

    /// The upload, marked as being imported, if it is `owner`'s, still kept, and neither imported
    /// nor being imported: of two clicks on Importér at once, one imports and one gets `nil`.
    func claimForImport(_ id: String, owner: String) -> Entry? {
        sweep()
        guard let record = record(id), record.owner == owner, record.imported == nil else { return nil }
        let marker = folder(id).appendingPathComponent("importing").path
        _ = isImporting(id)  // a mark left by a process that died goes first
        let descriptor = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard descriptor >= 0 else { return nil }
        // Who imports: a process on this machine that is gone has left its mark behind.
        let holder = Array("\(Self.machine) \(getpid())".utf8)
        _ = holder.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        return entry(record)
    }

    /// Another mapping and its preview, unless an import of the upload began meanwhile (its result wins).
    func replace(_ entry: Entry) throws {
        guard var record = record(entry.id), record.imported == nil, !isImporting(entry.id) else { return }
        record.mapping = entry.upload.mapping
        record.mappingName = entry.mappingName
        record.importFailure = nil
        try save(record)
        remember(entry)
    }

    /// The import claimed by `claimForImport` is over: its result, or its refusal.
    func finishImport(_ entry: Entry) throws {
        defer { try? FileManager.default.removeItem(at: folder(entry.id).appendingPathComponent("importing")) }
        guard var record = record(entry.id) else { return }
        record.imported = entry.imported
        record.importFailure = entry.importFailure
        try save(record)
        if entry.imported != nil { try? FileManager.default.removeItem(atPath: entry.upload.path) }
    }

    // MARK: The folder

    private func folder(_ id: String) -> URL { directory.appendingPathComponent(id) }

    private func record(_ id: String) -> Record? {
        // Only our own names: an id from a URL never reaches outside the folder.
        guard id.count == 36, id.allSatisfy({ $0.isHexDigit || $0 == "-" }),
            let data = FileManager.default.contents(atPath: folder(id).appendingPathComponent("entry.json").path)
        else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    private func records() -> [Record] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).compactMap(record)
    }

    /// Written whole or not at all: another process reads it at any moment.
    private func save(_ record: Record) throws {
        let folder = folder(record.id)
        let temporary = folder.appendingPathComponent("entry.json.\(UUID().uuidString)")
        try JSONEncoder().encode(record).write(to: temporary)
        guard rename(temporary.path, folder.appendingPathComponent("entry.json").path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Whether an import of it runs: its mark is there, and not left by a process of this machine that has ended.
    private func isImporting(_ id: String) -> Bool {
        let marker = folder(id).appendingPathComponent("importing").path
        guard let data = FileManager.default.contents(atPath: marker) else { return false }
        let holder = String(decoding: data, as: UTF8.self).split(separator: " ")
        if holder.count == 2, holder[0] == Self.machine, let pid = pid_t(holder[1]),
            kill(pid, 0) != 0, errno == ESRCH
        {
            try? FileManager.default.removeItem(atPath: marker)
            return false
        }
        return true
    }

    private func entry(_ record: Record) -> Entry {
        let upload = Upload(path: folder(record.id).appendingPathComponent("upload").path, name: record.name, mapping: record.mapping)
        let kept = previews[record.id].flatMap { $0.mapping == Self.mappingKey(record.mapping, record.mappingName) ? $0.preview : nil }
        return Entry(
            id: record.id, upload: upload, mappingName: record.mappingName, owner: record.owner, kommune: AreaCode(record.kommune),
            year: record.year, size: record.size, created: record.created, preview: kept, imported: record.imported,
            importFailure: record.importFailure, importing: isImporting(record.id))
    }

    /// This machine's name, as `gethostname` says it (never a DNS lookup).
    private static let machine: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    private static func mappingKey(_ mapping: String?, _ name: String?) -> String {
        mapping.map { "uploaded:" + $0 } ?? "shipped:" + (name ?? "")
    }

    /// Drops what is past its hour. An import in progress keeps its upload; a mark of one older
    /// than the hour is a process that died importing, and goes too.
    private func sweep() {
        let now = clock.now
        let kept = records()
        // Previews of uploads another process dropped or imported.
        let ids = Set(kept.map(\.id))
        for id in previews.keys where !ids.contains(id) { previews[id] = nil }
        // A folder without its entry (an upload that failed half-way) goes after the hour too.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where !ids.contains(name) {
            let made = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.modificationDate] as? Date) ?? nil
            if let made, now.timeIntervalSince(made) > lifetime, name.count == 36 { try? FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
        }
        for record in kept where now.timeIntervalSince(record.created) > lifetime {
            let marker = folder(record.id).appendingPathComponent("importing").path
            let marked = (try? FileManager.default.attributesOfItem(atPath: marker)[.modificationDate] as? Date) ?? nil
            if let marked, now.timeIntervalSince(marked) < lifetime { continue }
            drop(record.id)
        }
    }

    private func drop(_ id: String) {
        previews[id] = nil
        try? FileManager.default.removeItem(at: folder(id))
    }
}
