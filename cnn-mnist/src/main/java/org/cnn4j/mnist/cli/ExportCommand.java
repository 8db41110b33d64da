package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.io.ModelFile;
import org.cnn4j.io.OnnxExport;
import org.cnn4j.io.OnnxExportException;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a trained model in a format other programs read: ONNX (opset 13) for now. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model as ONNX (opset 13, IR 7; batch size free) for ONNX Runtime, DJL, Netron and others.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.cnn4j written by train.")
    Path model;

    @Option(names = "--onnx", required = true, paramLabel = "OUT", description = "The .onnx file to write (atomically).")
    Path onnx;

    @Mixin
    DebugOption debug = new DebugOption();

    @Override
    public Integer call() {
        ModelFile.Loaded loaded = ModelLoader.load(model);
        OutputFiles.checkWritable(onnx); // as every output: missing folders are created, a file on the way is refused
        try {
            OnnxExport.save(loaded.model(), onnx, ModelProvenance.of(loaded.metadata()));
        } catch (OnnxExportException e) {
            throw new InputException(model + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw OutputFiles.cannotWrite(onnx, e);
        }
        System.out.println("Wrote " + onnx + " (ONNX opset 13; input '" + OnnxExport.INPUT + "' [N, "
                + joined(loaded.model().inputShape()) + "], output '" + OnnxExport.OUTPUT + "' [N, "
                + joined(loaded.model().outputShape()) + "])");
        return 0;
    }

    private static String joined(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.toString();
    }
}
