/// A report's sections as CommonMark: a heading per section and a two-column table of its
/// rows. Values come from pipelines and people, so every character Markdown would read as
/// syntax is escaped, and line breaks become spaces (a table row is one line).
enum MarkdownReport {
    static func render(_ report: SubjectReportSections) -> String {
        var text = "# \(escape(report.title))\n"
        for section in report.sections {
            text += "\n## \(escape(section.title))\n\n| | |\n|---|---|\n"
            for row in section.rows { text += "| \(escape(row.label)) | \(escape(row.value)) |\n" }
        }
        return text
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            // `isNewline`: "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
            if character.isNewline {
                escaped += " "
                continue
            }
            switch character {
            case "\\", "`", "*", "_", "{", "}", "[", "]", "<", ">", "(", ")", "#", "+", "!", "|", "~":
                escaped += "\\" + String(character)
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
