package io.meshlake.streams;

/** The topic naming convention of the data path (DESIGN.md): one ingress and one DLQ per domain, one topic per model. */
public final class TopicNames {

  private TopicNames() {}

  public static String ingress(String domain) {
    return "facsimile." + domain;
  }

  public static String model(String model) {
    return "model." + model;
  }

  public static String deadLetters(String domain) {
    return "dlq." + domain;
  }
}
