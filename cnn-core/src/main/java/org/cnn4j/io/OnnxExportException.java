package org.cnn4j.io;

/**
 * A model that cannot be written as ONNX, such as one with a layer type the exporter has no
 * mapping for. The message is one line naming the layer.
 */
public final class OnnxExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An export failure.
     *
     * @param message one line naming the layer and what cannot be exported
     */
    public OnnxExportException(String message) {
        super(message);
    }
}
