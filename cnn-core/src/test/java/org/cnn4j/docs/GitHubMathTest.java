package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link GitHubMath} rejects each form GitHub garbles and accepts the forms it renders. The rejected
 * lines are copied from the docs as they were before they were fixed (commit 99eead9).
 */
class GitHubMathTest {
    private static List<String> problems(String... lines) {
        return GitHubMath.check("page.md", String.join("\n", lines)).problems();
    }

    @Test
    void aThinSpaceInDollarMathIsRejected() {
        // backprop.md section 3 and worked-example.md, as they were
        assertThat(problems("  Summing over the samples, $\\bar W_{iu} = \\sum_n X_{ni}\\,\\bar Z_{nu}$."))
                .singleElement().asString().contains("page.md:1:").contains("'\\,'").contains("$`");
        assertThat(problems("Scaled: $\\bar x = \\bar y \\odot [\\,y > 0\\,]$, then $a\\;b$ and $a\\!b$ and $\\{a\\}$."))
                .hasSize(4);
    }

    @Test
    void displayMathOutsideAFenceIsRejected() {
        // worked-example.md: the bmatrix rows collapse because \\ arrives as \
        assertThat(problems(
                "$$\\bar W_2 = h^\\top \\bar z = \\begin{bmatrix} 1.5 \\\\ 0 \\end{bmatrix}$$"))
                .singleElement().asString().contains("```math");
        // a display formula inside a list item (backprop.md section 3)
        assertThat(problems("- the bias:", "  $$\\bar b_u = \\sum_n \\bar Z_{nu} \\quad [U].$$")).hasSize(1);
        assertThat(problems("$$", "a = b", "$$")).hasSize(2);
    }

    @Test
    void mathRightAfterAnOpeningBracketIsRejected() {
        // backprop.md section 6, as it was
        assertThat(problems("With `valid` padding ($p_T = p_L = 0$) the padding is $KH-1$ on every side."))
                .singleElement().asString().contains("right after '('");
        assertThat(problems("a cost x$n$ here")).hasSize(1);
    }

    @Test
    void aTableRowAfterABlankLineIsRejected() {
        // performance.md near line 203, as it was
        assertThat(problems(
                "| commit | rate |",
                "|---|---|",
                "| a | 1 |",
                "",
                "| b | 2 |",
                "",
                "So the step allocates"))
                .singleElement().asString().contains("page.md:5:").contains("delimiter row");
    }

    @Test
    void aPipeInsideAFormulaInATableIsRejected() {
        assertThat(problems("| a | b |", "|---|---|", "| $|x|$ | 1 |")).isNotEmpty();
        assertThat(problems("| a | b |", "|---|---|", "| $\\lvert x\\rvert$ | 1 |")).isEmpty();
    }

    @Test
    void anUnpairedDollarIsRejected() {
        assertThat(problems("It costs $5 and more.")).singleElement().asString().contains("unpaired");
        assertThat(problems("It costs \\$5 and more.")).isEmpty();
    }

    @Test
    void theFormsGitHubRendersAreAccepted() {
        GitHubMath.Result r = GitHubMath.check("page.md", String.join("\n",
                "Inline $x^2$, bold **$\\bar v$**, and $`\\bar x = \\bar y \\odot [\\,y > 0\\,]`$ with a thin space.",
                "Code is not math: `$$ \\, $` and `$HOME`.",
                "",
                "```math",
                "\\bar W_2 = \\begin{bmatrix} 1.5 \\\\ 0 \\end{bmatrix}",
                "```",
                "",
                "- an item:",
                "",
                "  ```math",
                "  \\bar b_u = \\sum_n \\bar Z_{nu}",
                "  ```",
                "",
                "| a | b |",
                "| --- | :-: |",
                "| $x$ | $`a\\,b`$ |",
                "",
                "```bash",
                "echo $$ $HOME ($x$)",
                "```"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.formulas()).isEqualTo(5);
    }
}
