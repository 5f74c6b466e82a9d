/// A report's sections as a standalone HTML page: a heading and a table per section. Every
/// value is escaped; the page loads nothing from elsewhere.
enum HTMLReport {
    static func render(_ report: SubjectReportSections) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(report.title))</title>
            <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}th{text-align:left;padding-right:1em;vertical-align:top}td{word-break:break-all}</style>
            </head><body>
            <h1>\(escape(report.title))</h1>

            """
        for section in report.sections {
            html += "<h2>\(escape(section.title))</h2>\n<table>\n"
            for row in section.rows { html += "<tr><th>\(escape(row.label))</th><td>\(escape(row.value))</td></tr>\n" }
            html += "</table>\n"
        }
        return html + "</body></html>\n"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
