package org.cnn4j.mnist.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: sections of tables, text and PNG images embedded as
 * {@code data:} URIs, with a Content-Security-Policy that forbids every fetch, so the file opens
 * the same anywhere, offline, and can be mailed or archived alone. Written atomically.
 */
public final class HtmlReport {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    /**
     * An empty report.
     *
     * @param title the page's title and first heading
     */
    public HtmlReport(String title) {
        this.title = title;
    }

    /**
     * A section heading.
     *
     * @param text the heading
     * @return this report
     */
    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /**
     * A paragraph of text.
     *
     * @param text the text
     * @return this report
     */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * Preformatted text (a model summary, a log excerpt).
     *
     * @param text the text
     * @return this report
     */
    public HtmlReport preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /**
     * A two-column table of names and values.
     *
     * @param rows name to value, in order
     * @return this report
     */
    public HtmlReport keyValues(Map<String, String> rows) {
        body.append("<table class=\"kv\">\n");
        rows.forEach((k, v) -> body.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                .append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    /**
     * A table with a header row.
     *
     * @param header the column names
     * @param rows the rows, each as long as the header
     * @return this report
     */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table class=\"grid\">\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            r.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * A confusion matrix as a table whose cells are shaded by their share of the row (correct
     * cells green, errors red), with each class's recall.
     *
     * @param m the matrix (rows: true class, columns: predicted)
     * @param names class names, or null for the digits
     * @return this report
     */
    public HtmlReport confusionMatrix(ConfusionMatrix m, String[] names) {
        int k = m.numClasses();
        body.append("<table class=\"cm\">\n<tr><th>true \\ predicted</th>");
        for (int c = 0; c < k; c++) {
            body.append("<th>").append(escape(name(names, c))).append("</th>");
        }
        body.append("<th>recall</th></tr>\n");
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (int p = 0; p < k; p++) {
                row += m.count(t, p);
            }
            body.append("<tr><th>").append(escape(name(names, t))).append("</th>");
            for (int p = 0; p < k; p++) {
                int n = m.count(t, p);
                double share = row == 0 ? 0 : (double) n / row;
                String color = n == 0 ? "#fff" : t == p
                        ? String.format(Locale.ROOT, "rgba(46,160,67,%.2f)", 0.15 + 0.6 * share)
                        : String.format(Locale.ROOT, "rgba(218,54,51,%.2f)", 0.2 + 0.8 * Math.min(1, share * 10));
                body.append("<td style=\"background:").append(color).append("\">").append(n).append("</td>");
            }
            body.append(String.format(Locale.ROOT, "<td>%.4f</td></tr>%n", row == 0 ? 0.0 : (double) m.count(t, t) / row));
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * A PNG image, embedded.
     *
     * @param caption what it shows (also its alt text)
     * @param png the PNG file's bytes
     * @return this report
     */
    public HtmlReport image(String caption, byte[] png) {
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    /**
     * A PNG file, embedded; a note instead when the file was not written.
     *
     * @param caption what it shows
     * @param png the file
     * @return this report
     */
    public HtmlReport imageFile(String caption, Path png) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(png);
        } catch (IOException e) {
            return paragraph(caption + ": not written in this run (" + png.getFileName() + ")");
        }
        return image(caption, bytes);
    }

    /**
     * The whole page.
     *
     * @return the HTML text
     */
    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>"
                + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    /**
     * Writes the page atomically (temporary file, then rename): a reader never sees half a report.
     *
     * @param file where to write
     * @throws org.cnn4j.mnist.InputException if it cannot be written
     */
    public void write(Path file) {
        ReportFiles.writeString(html(), file);
    }

    private static String name(String[] names, int c) {
        return names == null ? Integer.toString(c) : c + " " + names[c];
    }

    /**
     * Text made safe for HTML content and attribute values.
     *
     * @param s the text
     * @return the escaped text
     */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String STYLE = """
            body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #1f2328; }
            h1 { font-size: 22px; } h2 { font-size: 17px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 28px; }
            table { border-collapse: collapse; margin: 8px 0; }
            th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: right; }
            table.kv th { text-align: left; background: #f6f8fa; font-weight: 600; }
            table.kv td { text-align: left; }
            table.grid th, table.cm th { background: #f6f8fa; }
            pre { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 12px; }
            figure { display: inline-block; margin: 8px 16px 8px 0; vertical-align: top; }
            figure img { max-width: 100%; border: 1px solid #d0d7de; }
            figcaption { color: #57606a; font-size: 12px; }
            """;
}
