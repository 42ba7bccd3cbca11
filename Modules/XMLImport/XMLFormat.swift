import BeskplanCore
import Foundation

/// What kind of XML document a file is, told from its root element and namespace.
public enum XMLDocumentKind: String, Sendable, CaseIterable {
    case feed
    case sdmx21Generic = "SDMX-ML 2.1 GenericData"
    case sdmx21StructureSpecific = "SDMX-ML 2.1 StructureSpecificData"
    case sdmx20Compact = "SDMX-ML 2.0 CompactData"
    case sdmx20Generic = "SDMX-ML 2.0 GenericData"
    case sdmx20CrossSectional = "SDMX-ML 2.0 CrossSectionalData"

    public var isSDMX: Bool { self != .feed }

    /// Reads up to the root element and names the kind, or says what was found instead.
    public static func detect(path: String, displayName: String? = nil) throws(ImportError) -> XMLDocumentKind {
        let reader = try XMLReader(path: path, displayName: displayName)
        while try reader.read() {
            guard reader.node == .element else { continue }
            let name = reader.localNameString
            let namespace = reader.namespaceURI ?? ""
            if let kind = kind(root: name, namespace: namespace) { return kind }
            if name == "MessageGroup", namespace.lowercased().contains("v2_0") { return try messageGroupKind(reader) }
            throw reader.failure(
                "<\(name)> in namespace '\(namespace)' is neither a beskplan feed nor SDMX-ML 2.0/2.1 data")
        }
        throw reader.failure("the file has no root element")
    }

    /// SDMX-ML 2.0 `MessageGroup` (one message holding several data sets, as the ECB sends): the
    /// kind of its data sets, told from the first one's namespace (generic, or a structure's own: compact).
    private static func messageGroupKind(_ reader: XMLReader) throws(ImportError) -> XMLDocumentKind {
        while try reader.read() {
            guard reader.node == .element, reader.localNameString == "DataSet" else { continue }
            let namespace = (reader.namespaceURI ?? "").lowercased()
            if namespace.contains("v2_0/generic") { return .sdmx20Generic }
            return namespace.hasSuffix(":cross") || namespace.contains("/cross") ? .sdmx20CrossSectional : .sdmx20Compact
        }
        throw reader.failure("the MessageGroup holds no DataSet")
    }

    static func kind(root: String, namespace: String) -> XMLDocumentKind? {
        let ns = namespace.lowercased()
        switch root {
        case "feed" where namespace == FeedSource.namespace: return .feed
        case "GenericData" where ns.contains("v2_1"), "GenericTimeSeriesData" where ns.contains("v2_1"):
            return .sdmx21Generic
        case "StructureSpecificData" where ns.contains("v2_1"),
            "StructureSpecificTimeSeriesData" where ns.contains("v2_1"):
            return .sdmx21StructureSpecific
        case "CompactData" where ns.contains("v2_0"): return .sdmx20Compact
        case "GenericData" where ns.contains("v2_0"): return .sdmx20Generic
        case "CrossSectionalData" where ns.contains("v2_0"): return .sdmx20CrossSectional
        default: return nil
        }
    }
}
