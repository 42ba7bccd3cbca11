import BeskplanCore
import CLibXML2

/// One observation as an SDMX message states it, before any mapping.
struct RawObservation {
    /// Series-level key components, in document order (shared by the series' observations).
    var series: [(id: String, value: String)]
    /// Counts `<Series>` elements, so callers can cache per series.
    var seriesNumber: Int
    /// Observation-level components (flat layouts, or attributes the format cannot tell apart).
    var components: [(id: String, value: String)]
    var time: Period?
    var value: Value
    var status: String?
    var line: Int
    var column: Int

    enum Value {
        case number(Double)
        case missing
        /// Text that is not a number; a mapping may call it missing (`..`).
        case text(String)
    }
}

/// Walks an SDMX-ML data message — 2.1 GenericData (series or flat), 2.1 StructureSpecificData,
/// 2.0 CompactData, 2.0 GenericData — and yields one `RawObservation` at a time.
final class SDMXScanner {
    let kind: XMLDocumentKind
    let reader: SAXReader
    /// The header's message id and the dataset's structure reference, as found.
    private(set) var datasetID: String?
    private(set) var structureRef: String?
    /// `dimensionAtObservation` from a 2.1 header (`TIME_PERIOD` or `AllDimensions`).
    private(set) var dimensionAtObservation: String?
    /// Whether observations sat directly in the dataset (flat layout).
    private(set) var sawFlatObservations = false
    private(set) var seriesCount = 0

    /// The name observation times are reported under (`TIME_PERIOD`, or the mapping's `period.from`).
    private(set) var timeComponent = "TIME_PERIOD"

    /// The dimension a generic `<ObsDimension>` gives, when it is not the time: a cross-sectional
    /// message (`dimensionAtObservation="CURRENCY"`) has the time in the series key instead.
    private var crossSectionalDimension: String? {
        guard let d = dimensionAtObservation, d != "AllDimensions", d != "TIME_PERIOD", d != timeComponent else { return nil }
        return d
    }

    /// The attribute holding the time in compact layouts (`TIME_PERIOD`, or a mapping's `period.from`).
    private var timeAttribute: UnsafePointer<UInt8>
    private var series: [(id: String, value: String)] = []
    /// `seriesKeyHoldsTime()` for the series numbered `series`.
    private var timeInSeriesKey: (series: Int, holds: Bool) = (-1, false)
    private var inDataSet = false
    private let n: Names
    private var headerTextTarget: String?

    /// For a segment: the data set its head opens is the only one it may meet (a second one
    /// would carry attributes the head does not).
    private let singleDataSet: Bool
    private var dataSets = 0
    /// A message of several data sets: the one to read, by its `datasetID`, `keyFamilyURI` or
    /// position (`2`); `nil` reads them all.
    var onlyDataSet: String?
    /// The names of the data sets met, and whether the one asked for was among them.
    private var dataSetNames: [String] = []
    private var skippingDataSet = false
    /// 2.0 cross-sectional: the key values and attributes of the data set, group and section
    /// around the observations, which carry the rest.
    private var crossSectional: (dataSet: [(id: String, value: String)], group: [(id: String, value: String)], section: [(id: String, value: String)]) = ([], [], [])
    /// Whether a `<Series>` is open (a generic `<Attributes>` outside it is the data set's).
    private var inSeries = false
    /// The `<Group>`s met so far, and the data set's attributes as a group without a key: their
    /// attributes (`UNIT_MULT`, `DECIMALS`, …) belong to every series whose key holds the group's.
    private var groups: [(key: [(id: String, value: String)], attributes: [(id: String, value: String)])] = []
    /// The groups by each of their key values (`id NUL value`), and those without a key.
    private var groupIndex: [String: [Int]] = [:]
    private var keylessGroups: [Int] = []

    init(path: String, displayName: String?, kind: XMLDocumentKind) throws(ImportError) {
        self.kind = kind
        reader = try SAXReader(path: path, displayName: displayName)
        n = Names(reader)
        timeAttribute = reader.intern("TIME_PERIOD")
        singleDataSet = false
    }

    init(segment: FileSegment, kind: XMLDocumentKind) throws(ImportError) {
        self.kind = kind
        reader = try SAXReader(segment: segment)
        n = Names(reader)
        timeAttribute = reader.intern("TIME_PERIOD")
        singleDataSet = true
    }

    /// Reads the time from this component instead of `TIME_PERIOD`.
    func useTimeComponent(_ name: String) {
        timeAttribute = reader.intern(name)
        timeComponent = name
    }

    /// The next observation, or `nil` at the end of the message.
    func next() throws(ImportError) -> RawObservation? {
        while try reader.read() {
            if skippingDataSet {
                if reader.node == .endElement, reader.is(n.dataSet) { skippingDataSet = false }
                continue
            }
            switch reader.node {
            case .element:
                if !inDataSet {
                    try readOutsideDataSet()
                } else if kind == .sdmx20CrossSectional {
                    if let observation = try crossSectionalElement() { return observation }
                } else if reader.is(n.series) {
                    try startSeries()
                } else if reader.is(n.group) {
                    try readGroup()
                } else if reader.is(n.attributes) {
                    // Outside `<Obs>` (which reads its own): a generic series' attributes, or the
                    // data set's, which hold for all its series as a group without a key would.
                    if inSeries {
                        try readGenericAttributes { self.setSeriesAttribute($0, $1) }
                    } else {
                        var all: [(id: String, value: String)] = []
                        try readGenericAttributes { all.append(($0, $1)) }
                        addGroup(key: [], attributes: all)
                    }
                } else if reader.is(n.obs) {
                    if series.isEmpty && reader.depth <= 2 { sawFlatObservations = true }
                    return try readObservation()
                }
            case .endElement:
                if kind == .sdmx20CrossSectional, reader.is(n.group) {
                    crossSectional.group = []
                } else if kind == .sdmx20CrossSectional, reader.is(n.section) {
                    crossSectional.section = []
                } else if reader.is(n.series) {
                    series = []
                    inSeries = false
                } else if reader.is(n.dataSet) {
                    inDataSet = false
                    groups = []
                    groupIndex = [:]
                    keylessGroups = []
                } else {
                    headerTextTarget = nil
                }
            case .text:
                if let target = headerTextTarget, let value = reader.value {
                    if target == "ID", datasetID == nil { datasetID = String(cString: value) }
                    if target == "KeyFamilyRef", structureRef == nil { structureRef = String(cString: value) }
                }
            default:
                continue
            }
        }
        if let onlyDataSet, !dataSetNames.contains(onlyDataSet), !dataSetNames.indices.map({ "\($0 + 1)" }).contains(onlyDataSet) {
            throw reader.failure(
                "no data set '\(onlyDataSet)' in the message (it has \(dataSetNames.enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: ", ")))")
        }
        return nil
    }

    private func readOutsideDataSet() throws(ImportError) {
        if reader.is(n.dataSet) {
            dataSets += 1
            if singleDataSet && dataSets > 1 { throw reader.failure("a segment meets a second data set") }
            let attributes = reader.attributes()
            let name = attributes.first { $0.name == "datasetID" }?.value ?? attributes.first { $0.name == "keyFamilyURI" || $0.name == "structureRef" }?.value ?? "-"
            dataSetNames.append(name)
            if let onlyDataSet, onlyDataSet != name, onlyDataSet != "\(dataSets)" {
                skippingDataSet = !reader.isEmptyElement
                return
            }
            inDataSet = true
            crossSectional.dataSet = Self.keyAttributes(attributes)
            // A structure-specific or compact data set's own attributes (`UNIT_MULT="3"`) hold for all its series.
            let standard = Self.keyAttributes(attributes).filter { SDMXSource.standardAttributes.contains($0.id) }
            if kind != .sdmx20CrossSectional, !standard.isEmpty { addGroup(key: [], attributes: standard) }
            for (name, value) in attributes where name == "structureRef" || name == "keyFamilyURI" {
                structureRef = structureRef ?? value
            }
        } else if reader.is(n.structure) {
            for (name, value) in reader.attributes() {
                if name == "dimensionAtObservation" { dimensionAtObservation = value }
                if name == "structureID" { structureRef = structureRef ?? value }
            }
        } else if reader.is(n.idElement) || reader.is(n.keyFamilyRef) {
            headerTextTarget = reader.localNameString
        }
    }

    /// The attributes of a cross-sectional element that are key values or attributes (not the
    /// message's own: ids, namespaces, the value).
    private static func keyAttributes(_ attributes: [(name: String, value: String)]) -> [(id: String, value: String)] {
        attributes.filter { !$0.name.contains(":") && !["type", "datasetID", "keyFamilyURI", "structureRef", "value"].contains($0.name) }
            .map { (id: $0.name, value: $0.value) }
    }

    /// 2.0 cross-sectional: `<Group TIME=…>` and `<Section …>` set key values for what they hold;
    /// any other element with a `value` is an observation of the measure it is named after
    /// (`<STOCKS JD_CATEGORY="A" value="3.14"/>`), that name its `MEASURE` component.
    private func crossSectionalElement() throws(ImportError) -> RawObservation? {
        if reader.is(n.group) {
            crossSectional.group = Self.keyAttributes(reader.attributes())
            return nil
        }
        if reader.is(n.section) {
            seriesCount += 1
            crossSectional.section = Self.keyAttributes(reader.attributes())
            return nil
        }
        let attributes = reader.attributes()
        guard let value = attributes.first(where: { $0.name == "value" }) else { return nil }
        var observation = RawObservation(
            series: [], seriesNumber: seriesCount, components: [], time: nil, value: .missing, status: nil,
            line: reader.line, column: reader.column)
        let measure = reader.localNameString
        if measure != "OBS_VALUE" { observation.components.append(("MEASURE", measure)) }
        for (id, text) in crossSectional.dataSet + crossSectional.group + crossSectional.section + Self.keyAttributes(attributes) {
            if id == timeComponent || id == "TIME" || id == "TIME_PERIOD" {
                observation.time = try time(text)
            } else if id == "OBS_STATUS" {
                observation.status = text
            } else {
                observation.components.append((id, text))
            }
        }
        observation.value = value.value.withCString { Self.value(UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self)) }
        return observation
    }

    private func startSeries() throws(ImportError) {
        seriesCount += 1
        series = []
        inSeries = !reader.isEmptyElement
        defer { applyGroups() }
        switch kind {
        case .sdmx21StructureSpecific, .sdmx20Compact:
            series = reader.attributes().filter { !$0.name.contains(":") && $0.name != "type" }
                .map { (id: $0.name, value: $0.value) }
        case .sdmx21Generic, .sdmx20Generic:
            // <SeriesKey><Value id|concept= value=/>…</SeriesKey>, then <Attributes>, then <Obs>.
            guard !reader.isEmptyElement else { return }
            var inKey = false
            while try reader.read() {
                if reader.node == .element {
                    if reader.is(n.seriesKey) {
                        inKey = true
                    } else if inKey && reader.is(n.valueElement) {
                        series.append(try keyValue())
                    } else if reader.is(n.obs) {
                        throw reader.failure("<Obs> before the series key ended")
                    }
                } else if reader.node == .endElement && reader.is(n.seriesKey) {
                    return
                }
            }
        case .feed, .sdmx20CrossSectional:
            break
        }
    }

    /// A `<Group>`: its key and its attributes. Structure-specific and compact groups carry both as
    /// XML attributes, told apart by SDMX's standard attribute names (a group's key is dimensions);
    /// generic groups say which is which (`<GroupKey>`, `<Attributes>`). A 2.0 group may hold its
    /// series: the first `<Series>` met inside is started here.
    private func readGroup() throws(ImportError) {
        switch kind {
        case .sdmx21StructureSpecific, .sdmx20Compact:
            let all = reader.attributes().filter { !$0.name.contains(":") && $0.name != "type" }.map { (id: $0.name, value: $0.value) }
            addGroup(key: all.filter { !SDMXSource.standardAttributes.contains($0.id) }, attributes: all)
        case .sdmx21Generic, .sdmx20Generic:
            guard !reader.isEmptyElement else { return }
            var group: (key: [(id: String, value: String)], attributes: [(id: String, value: String)]) = ([], [])
            var inKey = false
            var inAttributes = false
            while try reader.read() {
                if reader.node == .element {
                    if reader.is(n.groupKey) {
                        inKey = true
                    } else if reader.is(n.attributes) {
                        inAttributes = true
                    } else if reader.is(n.valueElement), inKey || inAttributes {
                        let value = try keyValue()
                        if inKey { group.key.append(value) } else { group.attributes.append(value) }
                    } else if reader.is(n.series) {
                        addGroup(key: group.key, attributes: group.attributes)
                        try startSeries()
                        return
                    }
                } else if reader.node == .endElement {
                    if reader.is(n.groupKey) { inKey = false }
                    if reader.is(n.attributes) { inAttributes = false }
                    if reader.is(n.group) { break }
                }
            }
            addGroup(key: group.key, attributes: group.attributes)
        case .feed, .sdmx20CrossSectional:
            break
        }
    }

    /// `<Attributes><Value id= value=/>…</Attributes>` of a generic series, each handed on.
    private func readGenericAttributes(_ take: (String, String) -> Void) throws(ImportError) {
        guard !reader.isEmptyElement else { return }
        while try reader.read() {
            if reader.node == .element, reader.is(n.valueElement) {
                let (id, value) = try keyValue()
                take(id, value)
            } else if reader.node == .endElement, reader.is(n.attributes) {
                return
            }
        }
    }

    /// A generic series' attribute: the standard ones (`UNIT_MULT`) are read and win over its
    /// group's; others (ECB's `UNIT`, `BREAKS`) describe the series and are left, as before.
    private func setSeriesAttribute(_ id: String, _ value: String) {
        guard SDMXSource.standardAttributes.contains(id) else { return }
        series.removeAll { $0.id == id }
        series.append((id, value))
    }

    /// Keeps a group's standard attributes (the only ones read), found by its key values.
    private func addGroup(key: [(id: String, value: String)], attributes: [(id: String, value: String)]) {
        let standard = attributes.filter { SDMXSource.standardAttributes.contains($0.id) }
        guard !standard.isEmpty else { return }
        groups.append((key: key, attributes: standard))
        for k in key { groupIndex[k.id + "\u{0}" + k.value, default: []].append(groups.count - 1) }
        if key.isEmpty { keylessGroups.append(groups.count - 1) }
    }

    /// Gives the series the attributes of every group whose key it holds (never overriding its own).
    /// A key value the series lacks is not held against it: a structure-specific group's
    /// non-standard attributes (ECB's `UNIT`) cannot be told from its key. Groups are found by
    /// the series' key values (ECB sends a group per series: no pass over all of them).
    private func applyGroups() {
        var keyed = Set<Int>()
        for s in series { keyed.formUnion(groupIndex[s.id + "\u{0}" + s.value] ?? []) }
        // A group's attributes before the data set's: the nearer level wins.
        for group in (keyed.sorted() + keylessGroups).map({ groups[$0] }) {
            var matched = false
            var conflicts = false
            for k in group.key {
                guard let own = series.first(where: { $0.id == k.id }) else { continue }
                if own.value == k.value { matched = true } else { conflicts = true }
            }
            guard matched || group.key.isEmpty, !conflicts else { continue }
            for attribute in group.attributes where !series.contains(where: { $0.id == attribute.id }) {
                series.append(attribute)
            }
        }
    }

    private func readObservation() throws(ImportError) -> RawObservation {
        var observation = RawObservation(
            series: series, seriesNumber: seriesCount, components: [], time: nil, value: .missing, status: nil,
            line: reader.line, column: reader.column)
        switch kind {
        case .sdmx21StructureSpecific, .sdmx20Compact:
            try reader.forEachAttribute { name, text throws(ImportError) in
                if name == n.obsValue {
                    observation.value = Self.value(text)
                } else if name == n.obsStatus {
                    observation.status = String(cString: text)
                } else if name == timeAttribute || name == n.time {
                    observation.time = try time(text)
                } else if xmlStrchr(name, UInt8(ascii: ":")) == nil, name != n.type {
                    observation.components.append((String(cString: name), String(cString: text)))
                }
            }
        case .sdmx21Generic, .sdmx20Generic:
            try readGenericObservation(&observation)
        case .feed, .sdmx20CrossSectional:
            break
        }
        // Cross-sectional: the time is a key component of the series (or of the data set, a group).
        if observation.time == nil, let time = series.first(where: { $0.id == timeComponent || $0.id == "TIME_PERIOD" }) {
            observation.time = try self.time(time.value)
        }
        return observation
    }

    /// `<Obs>` children: ObsDimension|Time, ObsKey/Value, ObsValue, Attributes/Value.
    private func readGenericObservation(_ observation: inout RawObservation) throws(ImportError) {
        guard !reader.isEmptyElement else { return }
        var inKey = false
        var inAttributes = false
        var inTime = false
        while try reader.read() {
            switch reader.node {
            case .element:
                if reader.is(n.obsDimension) {
                    // Cross-sectional only when the series key holds the time; else the dimension is the time.
                    let dimension = seriesKeyHoldsTime() ? crossSectionalDimension : nil
                    try reader.forEachAttribute { name, text throws(ImportError) in
                        guard name == n.value else { return }
                        if let dimension {
                            observation.components.append((dimension, String(cString: text)))
                        } else {
                            observation.time = try time(text)
                        }
                    }
                } else if reader.is(n.timeElement) {
                    inTime = true
                } else if reader.is(n.obsValueElement) {
                    try reader.forEachAttribute { name, text throws(ImportError) in
                        if name == n.value { observation.value = Self.value(text) }
                    }
                } else if reader.is(n.obsKey) {
                    inKey = true
                } else if reader.is(n.attributes) {
                    inAttributes = true
                } else if reader.is(n.valueElement) {
                    let (id, value) = try keyValue()
                    if inKey {
                        if id == timeComponent || id == "TIME_PERIOD" {
                            observation.time = try time(value)
                        } else {
                            observation.components.append((id, value))
                        }
                    } else if inAttributes && id == "OBS_STATUS" {
                        observation.status = value
                    }
                }
            case .text where inTime:
                if let text = reader.value { observation.time = try time(text) }
            case .endElement:
                if reader.is(n.obs) { return }
                if reader.is(n.obsKey) { inKey = false }
                if reader.is(n.attributes) { inAttributes = false }
                if reader.is(n.timeElement) { inTime = false }
            default:
                continue
            }
        }
    }

    /// Whether the current series' key holds the time (a cross-sectional message), asked once per series.
    private func seriesKeyHoldsTime() -> Bool {
        if timeInSeriesKey.series != seriesCount {
            timeInSeriesKey = (seriesCount, series.contains { $0.id == timeComponent || $0.id == "TIME_PERIOD" })
        }
        return timeInSeriesKey.holds
    }

    /// A generic `<Value id="…" value="…"/>` (2.1) or `<Value concept="…" value="…"/>` (2.0).
    private func keyValue() throws(ImportError) -> (String, String) {
        var id = ""
        var value = ""
        try reader.forEachAttribute { name, text throws(ImportError) in
            if name == n.id || name == n.concept { id = String(cString: text) }
            if name == n.value { value = String(cString: text) }
        }
        guard !id.isEmpty else { throw reader.failure("<Value> has no id") }
        return (id, value)
    }

    private func time(_ text: UnsafePointer<UInt8>) throws(ImportError) -> Period {
        switch Period.parse(utf8CString: text) {
        case .success(let period): return period
        case .failure(let error): throw reader.failure(error.description)
        }
    }

    private func time(_ text: String) throws(ImportError) -> Period {
        do throws(PeriodError) {
            return try Period(parsing: text)
        } catch {
            throw reader.failure(error.description)
        }
    }

    private static func value(_ text: UnsafePointer<UInt8>) -> RawObservation.Value {
        if text.pointee == 0 { return .missing }
        guard let number = NumberText.double(text) else { return .text(String(cString: text)) }
        return number.isNaN ? .missing : .number(number)
    }

    /// Element names (capitalised) and attribute names, interned once per reader.
    private struct Names {
        let dataSet, series, obs, seriesKey, obsKey, valueElement, obsDimension, obsValueElement, attributes,
            timeElement, structure, keyFamilyRef, idElement, group, groupKey, section: UnsafePointer<UInt8>
        let value, id, concept, obsValue, obsStatus, time, type: UnsafePointer<UInt8>

        init(_ r: SAXReader) {
            dataSet = r.intern("DataSet")
            series = r.intern("Series")
            obs = r.intern("Obs")
            seriesKey = r.intern("SeriesKey")
            obsKey = r.intern("ObsKey")
            valueElement = r.intern("Value")
            obsDimension = r.intern("ObsDimension")
            obsValueElement = r.intern("ObsValue")
            attributes = r.intern("Attributes")
            timeElement = r.intern("Time")
            structure = r.intern("Structure")
            keyFamilyRef = r.intern("KeyFamilyRef")
            idElement = r.intern("ID")
            group = r.intern("Group")
            groupKey = r.intern("GroupKey")
            section = r.intern("Section")
            value = r.intern("value")
            id = r.intern("id")
            concept = r.intern("concept")
            obsValue = r.intern("OBS_VALUE")
            obsStatus = r.intern("OBS_STATUS")
            time = r.intern("TIME")
            type = r.intern("type")
        }
    }
}
