package org.cnn4j.mnist.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.data.Submission;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.kaggle.CompetitionFiles;
import org.cnn4j.mnist.kaggle.KaggleSession;
import org.cnn4j.mnist.kaggle.SubmissionCheck;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Kaggle's submission file: {@code ImageId,Label} for every row of test.csv. */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Write a Kaggle submission for test.csv.")
final class SubmitCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.cnn4j written by train.")
    Path model;

    @Option(names = "--test-csv", paramLabel = "FILE", description = "Kaggle test.csv (pixel0..pixel783); default: the one "
            + "fetch --kaggle cached.")
    Path testCsv;

    @Option(names = "--kaggle", description = "Also upload the submission to Kaggle (checked first) and say where its score appears.")
    boolean kaggle;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "With --kaggle: the submission's description.")
    String message;

    @Option(names = "--competition", defaultValue = CompetitionFiles.DIGIT_RECOGNIZER, paramLabel = "NAME",
            description = "With --kaggle: the competition (default: ${DEFAULT-VALUE}).")
    String competition;

    @Option(names = "--out", defaultValue = "submission.csv", paramLabel = "FILE", description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    DebugOption debug = new DebugOption();

    @Override
    public Integer call() {
        if (kaggle) {
            CompetitionFiles.checkName(competition); // before the minutes of inference
        }
        if (kaggle && (message == null || message.isBlank())) {
            throw new InputException("submit --kaggle needs -m \"a description\" (Kaggle shows it beside the score)");
        }
        if (testCsv == null) {
            testCsv = CompetitionFiles.cached("test.csv");
            if (testCsv == null) {
                throw new InputException("no test.csv: give --test-csv FILE, or run fetch --kaggle to cache Kaggle's in "
                        + CompetitionFiles.dir(CompetitionFiles.DIGIT_RECOGNIZER));
            }
        }
        // before the minutes of inference, as train does: a bad --out must not waste them
        org.cnn4j.mnist.data.OutputFiles.checkWritable(out);
        Sequential m = ModelLoader.loadDigitModel(model);
        LabeledImages test = KaggleCsv.readTest(testCsv);
        ModelLoader.requireImages(test, testCsv);
        int n = test.size(), size = test.imageSize();
        int[] labels = new int[n];
        int chunk = 1000;
        byte[] px = test.copyPixels();
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            Tensor x = Tensor.zeros(count, 1, test.rows(), test.cols());
            for (int i = 0; i < count * size; i++) {
                x.data()[i] = (px[from * size + i] & 0xFF) / 255f;
            }
            float[] p = m.predict(x, chunk).data();
            int k = m.outputShape()[0];
            for (int i = 0; i < count; i++) {
                labels[from + i] = PredictCommand.top3(p, i * k, k)[0];
            }
        }
        Submission.write(out, labels);
        (ModelLoader.isStdout(out) ? System.err : System.out).printf("Wrote %,d predictions to %s%n", n, out);
        if (kaggle) {
            SubmissionCheck.check(out);
            String answer = KaggleSession.open(System.err::println).submit(competition, out, message);
            System.out.println((answer.isBlank() ? "Submitted " + out + " to " + competition : answer)
                    + "; the score appears at https://www.kaggle.com/competitions/" + competition + "/submissions");
        }
        return 0;
    }
}
