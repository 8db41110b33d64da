package org.cnn4j.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The math and table forms GitHub renders, and the ones it garbles. GitHub runs Markdown's own
 * parsing before MathJax sees a formula, so:
 * <ul>
 * <li>inside {@code $...$} a backslash before ASCII punctuation is a Markdown escape: {@code \,}
 * {@code \;} {@code \!} {@code \{} arrive as {@code , ; ! {}; such a formula must be written
 * {@code $`...`$} (the code span keeps every character);</li>
 * <li>{@code $$...$$} gets the same escapes ({@code \\} row breaks of a {@code bmatrix} collapse) and
 * may not render inside list items: display math goes in a {@code ```math} fence;</li>
 * <li>an inline {@code $} right after {@code (}, {@code [} or a letter is not taken as math;</li>
 * <li>a {@code |} inside a formula in a table row splits the cell;</li>
 * <li>a row that starts with {@code |} but is not followed by a delimiter row ({@code |---|}) is
 * plain text: a blank line ends a table, so a row after one renders as pipes.</li>
 * </ul>
 * Sources: GitHub's "Writing mathematical expressions" page (the {@code $`...`$} and
 * {@code ```math} forms), the GFM spec (backslash escapes; a table ends at a blank line), and the
 * github/markup issues 1547 ({@code \\} in the middle of a line and {@code \,} lose a backslash
 * inside {@code $$}) and 1612 (inline math inside parentheses does not render).
 */
final class GitHubMath {
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)(?<!`)\\1(?!`)");
    private static final Pattern ESCAPE = Pattern.compile("\\\\[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]");
    private static final Pattern TABLE_ROW = Pattern.compile("^ {0,3}\\|.*");
    private static final Pattern DELIMITER_ROW = Pattern.compile("^ {0,3}\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$");

    /** What a check found: the problems, and how many inline formulas it read. */
    record Result(List<String> problems, int formulas) {
    }

    private GitHubMath() {
    }

    /** Checks {@code markdown}; problems read {@code label:line: message}. */
    static Result check(String label, String markdown) {
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\r?\n", -1);
        boolean inFence = false;
        String fenceMarker = null;
        boolean[] outside = new boolean[lines.length];
        for (int i = 0; i < lines.length; i++) {
            Matcher fence = FENCE.matcher(lines[i]);
            if (fence.find()) {
                if (!inFence) {
                    inFence = true;
                    fenceMarker = fence.group(1);
                } else if (fence.group(1).equals(fenceMarker)) {
                    inFence = false;
                }
                continue;
            }
            outside[i] = !inFence;
        }
        int formulas = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!outside[i]) {
                continue;
            }
            String where = label + ":" + (i + 1) + ": ";
            boolean tableRow = TABLE_ROW.matcher(lines[i]).matches();
            if (tableRow && !(i > 0 && outside[i - 1] && TABLE_ROW.matcher(lines[i - 1]).matches())) {
                // the first row of a table: the next line must be the delimiter row
                if (i + 1 >= lines.length || !DELIMITER_ROW.matcher(lines[i + 1]).matches()) {
                    problems.add(where + "a row starting with | without a delimiter row (|---|) under it renders "
                            + "as plain text; a blank line ends a table");
                }
            }
            formulas += checkLine(lines[i], tableRow, where, problems);
        }
        return new Result(problems, formulas);
    }

    /** Checks the inline math of one line outside fences; returns the number of formulas read. */
    private static int checkLine(String line, boolean tableRow, String where, List<String> problems) {
        // code spans first: $`...`$ is math kept verbatim, any other code span is code
        StringBuilder text = new StringBuilder(line);
        int formulas = 0;
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            boolean math = span.start() > 0 && line.charAt(span.start() - 1) == '$'
                    && span.end() < line.length() && line.charAt(span.end()) == '$';
            if (math) {
                formulas++;
                if (tableRow && span.group(2).contains("|")) {
                    problems.add(where + "a | inside a formula splits the table cell: write \\lvert, \\rvert or \\mid");
                }
                text.replace(span.start() - 1, span.end() + 1, " ".repeat(span.end() - span.start() + 2));
            } else {
                text.replace(span.start(), span.end(), " ".repeat(span.end() - span.start()));
            }
        }
        String s = text.toString();
        if (s.contains("$$")) {
            problems.add(where + "$$ display math: write it in a ```math fence (GitHub applies Markdown escapes "
                    + "inside $$, so \\\\ and \\, lose a backslash, and $$ in a list item may not render)");
            s = s.replace("$$", "  ");
        }
        List<Integer> dollars = new ArrayList<>();
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) == '$' && (k == 0 || s.charAt(k - 1) != '\\')) {
                dollars.add(k);
            }
        }
        if (dollars.size() % 2 != 0) {
            problems.add(where + "an unpaired $ (keep an inline formula on one line; write a literal dollar as \\$)");
            return formulas;
        }
        for (int k = 0; k < dollars.size(); k += 2) {
            int open = dollars.get(k), close = dollars.get(k + 1);
            String formula = s.substring(open + 1, close);
            formulas++;
            char before = open > 0 ? s.charAt(open - 1) : ' ';
            if (before == '(' || before == '[' || before == '{' || Character.isLetterOrDigit(before)) {
                problems.add(where + "inline math right after '" + before + "' does not render on GitHub: $"
                        + formula + "$ (reword, or put a space before the $)");
            }
            Matcher esc = ESCAPE.matcher(formula);
            if (esc.find()) {
                problems.add(where + "'" + esc.group() + "' inside $...$ is a Markdown escape on GitHub and loses its "
                        + "backslash: write $`" + formula + "`$");
            }
            if (tableRow && formula.contains("|")) {
                problems.add(where + "a | inside a formula splits the table cell: write \\lvert, \\rvert or \\mid");
            }
        }
        return formulas;
    }
}
