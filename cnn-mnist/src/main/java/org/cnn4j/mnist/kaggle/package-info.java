/**
 * Kaggle's public API as the official Python client 1.6.17 speaks it (the REST protocol under
 * {@code https://www.kaggle.com/api/v1}, HTTP Basic with the user name and API key): the
 * competition's files as one zip through a redirect to signed storage, and a submission in three
 * steps (ask for an upload URL, PUT the file there, submit its token with a message).
 *
 * <p>Why 1.6.17 and not the 1.7 clients: 1.7 moved to an RPC-style API through the generated
 * {@code kagglesdk} package, whose wire format is defined by that package rather than by a
 * published OpenAPI file; the v1 REST endpoints are the ones documented in the client's
 * {@code KaggleSwagger.yaml} and still served. Sources: {@code kaggle/api/kaggle_api_extended.py}
 * ({@code KaggleApi.__version__ = '1.6.17'}: {@code authenticate}, {@code read_config_file},
 * {@code competition_download_files}, {@code competition_submit}, {@code upload_complete}) and
 * {@code kaggle/api/kaggle_api.py} (paths and methods) in github.com/Kaggle/kaggle-api.
 */
package org.cnn4j.mnist.kaggle;
