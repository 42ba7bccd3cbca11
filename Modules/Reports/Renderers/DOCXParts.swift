/// The fixed parts of a DOCX package.
enum DOCXParts {
    static func contentTypes(images: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Default Extension="svg" ContentType="image/svg+xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
        <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """
    }

    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """

    static func documentRelationships(images: Int) -> String {
        var rels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            <Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
            <Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
            """
        for i in stride(from: 1, through: images, by: 1) {
            rels += "<Relationship Id=\"rIdImage\(i)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart\(i).svg\"/>"
        }
        return rels + "</Relationships>"
    }

    static func core(title: String, subject: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(x(title))</dc:title><dc:subject>\(x(subject))</dc:subject>\
        <dc:creator>beskplan</dc:creator><dc:language>da-DK</dc:language></cp:coreProperties>
        """
    }

    static let settings = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:updateFields w:val="true"/><w:defaultTabStop w:val="567"/><w:characterSpacingControl w:val="doNotCompress"/>\
        </w:settings>
        """

    /// The footer: the kommune's name and the page number (a PAGE field).
    static func footer(_ kommune: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>\
        <w:r><w:t xml:space="preserve">\(x(kommune)) · side </w:t></w:r>\
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
        </w:p></w:ftr>
        """
    }

    static func styles(primary: String) -> String {
        let color = primary.replacingOccurrences(of: "#", with: "")
        func heading(_ n: Int, size: Int) -> String {
            """
            <w:style w:type="paragraph" w:styleId="Heading\(n)"><w:name w:val="heading \(n)"/><w:basedOn w:val="Normal"/>\
            <w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/>\
            <w:outlineLvl w:val="\(n - 1)"/></w:pPr><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:b/>\
            <w:color w:val="\(color)"/><w:sz w:val="\(size)"/></w:rPr></w:style>
            """
        }
        func simple(_ id: String, _ name: String, _ rPr: String, _ pPr: String = "") -> String {
            "<w:style w:type=\"paragraph\" w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>\(pPr)</w:pPr><w:rPr>\(rPr)</w:rPr></w:style>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
            <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:cs="Georgia"/>\
            <w:sz w:val="22"/><w:lang w:val="da-DK"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>\
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
            \(heading(1, size: 32))\(heading(2, size: 26))\(heading(3, size: 22))\
            \(simple("Title", "Title", "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/><w:b/><w:color w:val=\"\(color)\"/><w:sz w:val=\"56\"/>", "<w:spacing w:before=\"2400\" w:after=\"240\"/>"))\
            \(simple("Subtitle", "Subtitle", "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/><w:color w:val=\"\(color)\"/><w:sz w:val=\"28\"/>"))\
            \(simple("Status", "Status", "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/><w:b/><w:sz w:val=\"24\"/>", "<w:spacing w:before=\"480\"/>"))\
            \(simple("Caption", "caption", "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/><w:b/><w:sz w:val=\"20\"/>", "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"60\"/>"))\
            \(simple("Note", "Note", "<w:i/><w:color w:val=\"555555\"/><w:sz w:val=\"18\"/>"))\
            \(simple("ListBullet", "List Bullet", "", "<w:ind w:left=\"567\" w:hanging=\"283\"/><w:spacing w:after=\"60\"/>"))\
            \(simple("TableText", "Table Text", "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/><w:sz w:val=\"18\"/>", "<w:spacing w:after=\"0\"/>"))\
            \(simple("TOCHeading", "TOC Heading", "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/><w:b/><w:color w:val=\"\(color)\"/><w:sz w:val=\"32\"/>"))\
            \(simple("TOC1", "toc 1", "", "<w:spacing w:after=\"60\"/>"))\
            \(simple("TOC2", "toc 2", "", "<w:ind w:left=\"284\"/><w:spacing w:after=\"40\"/>"))\
            \(simple("Footer", "footer", "<w:sz w:val=\"18\"/>"))\
            <w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>\
            <w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            <w:insideH w:val="single" w:sz="4" w:space="0" w:color="CCCCCC"/></w:tblBorders>\
            <w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
            </w:styles>
            """
    }
}
