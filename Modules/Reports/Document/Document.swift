import BeskplanCore

/// A report as data: what the renderers (HTML, Markdown, DOCX) turn into files.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var titlePage: TitlePage
    public var branding: ReportBranding
    public var blocks: [Block]

    public init(title: String, subtitle: String, titlePage: TitlePage, branding: ReportBranding, blocks: [Block]) {
        self.title = title
        self.subtitle = subtitle
        self.titlePage = titlePage
        self.branding = branding
        self.blocks = blocks
    }

    /// The headings of level 1 and 2, for tables of contents.
    public var outline: [(level: Int, text: String, anchor: String)] {
        blocks.compactMap {
            guard case .heading(let h) = $0, h.level <= 2 else { return nil }
            return (h.level, h.text, h.anchor)
        }
    }
}

/// What the first page says.
public struct TitlePage: Sendable {
    public var kommune: String
    public var jobcenter: String
    public var title: String
    public var year: Int
    /// "Udkast" or "Godkendt".
    public var status: String
    /// "Social- og Beskæftigelsesudvalget, 20. november 2023", in order.
    public var approvals: [String]
    /// "Udarbejdet 24. november 2026 med beskplan; data pr. …".
    public var note: String
}

/// Names and colours a report carries (from the kommune's plugin).
public struct ReportBranding: Sendable {
    public var kommuneName: String
    public var jobcenterName: String
    public var slogan: String?
    public var primaryColor: String
    public var accentColor: String

    public init(kommuneName: String, jobcenterName: String, slogan: String?, primaryColor: String, accentColor: String) {
        self.kommuneName = kommuneName
        self.jobcenterName = jobcenterName
        self.slogan = slogan
        self.primaryColor = primaryColor
        self.accentColor = accentColor
    }
}

/// One piece of a report, in reading order.
public enum Block: Sendable {
    case heading(Heading)
    case paragraph(String)
    case list([String])
    case table(ReportTable)
    case figure(ChartFigure)
    /// Small print: notes (Anm.) and sources (Kilde).
    case note(String)
    /// The table of contents, filled from the headings.
    case contents
}

public struct Heading: Sendable {
    public var level: Int
    public var text: String
    public var anchor: String
    /// Start a new page before it when printed (goal sections).
    public var pageBreak: Bool

    public init(level: Int, text: String, anchor: String, pageBreak: Bool = false) {
        self.level = level
        self.text = text
        self.anchor = anchor
        self.pageBreak = pageBreak
    }
}

/// A table with a header row, body rows and an optional total row; numeric columns align right.
public struct ReportTable: Sendable {
    public var caption: String?
    public var header: [String]
    public var rows: [[String]]
    public var total: [String]?
    /// Column indexes holding numbers (right-aligned).
    public var numeric: Set<Int>
    public var source: String?

    public init(
        caption: String? = nil, header: [String], rows: [[String]], total: [String]? = nil, numeric: Set<Int> = [],
        source: String? = nil
    ) {
        self.caption = caption
        self.header = header
        self.rows = rows
        self.total = total
        self.numeric = numeric
        self.source = source
    }
}

/// A chart with its caption and source line; the chart is SVG text.
public struct ChartFigure: Sendable {
    public var caption: String
    public var svg: String
    /// A text alternative for screen readers.
    public var description: String
    public var source: String

    public init(caption: String, svg: String, description: String, source: String) {
        self.caption = caption
        self.svg = svg
        self.description = description
        self.source = source
    }
}

/// Anchors for headings: ASCII, lower case, hyphens.
public enum Anchor {
    public static func make(_ text: String) -> String {
        let folded = text.lowercased()
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "ø", with: "oe")
            .replacingOccurrences(of: "å", with: "aa")
        var out = ""
        for ch in folded.unicodeScalars {
            if ch.properties.isAlphabetic && ch.isASCII || ("0"..."9").contains(Character(ch)) {
                out.unicodeScalars.append(ch)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        return String(out.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60))
    }
}

import Foundation
