package io.meshlake.registry;

import static io.meshlake.registry.RegistryHttp.enc;
import static io.meshlake.registry.RegistryHttp.ints;
import static io.meshlake.registry.RegistryHttp.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;

/** Everything a client can see of a registry, as one JSON tree, to compare two instances. */
final class RegistryDump {

  private RegistryDump() {}

  static JsonNode of(RegistryHttp api) {
    ObjectNode dump = RegistryHttp.JSON.createObjectNode();
    dump.set("subjects", api.get("/subjects").json());
    dump.set("subjects_with_deleted", api.get("/subjects?deleted=true").json());
    dump.set("config", api.get("/config").json());
    TreeSet<Integer> ids = new TreeSet<>();
    ObjectNode subjects = dump.putObject("by_subject");
    for (String subject : strings(api.get("/subjects?deleted=true").json())) {
      ObjectNode s = subjects.putObject(subject);
      s.set("live_versions", api.get("/subjects/" + enc(subject) + "/versions").json());
      s.set("config", api.get("/config/" + enc(subject)).json());
      for (int version : ints(api.get("/subjects/" + enc(subject) + "/versions?deleted=true").json())) {
        JsonNode body = api.get("/subjects/" + enc(subject) + "/versions/" + version + "?deleted=true").json();
        s.set(Integer.toString(version), body);
        ids.add(body.get("id").asInt());
      }
    }
    ObjectNode byId = dump.putObject("by_id");
    for (int id : ids) {
      byId.set(Integer.toString(id), api.get("/schemas/ids/" + id).json());
      byId.set(id + "/versions", api.get("/schemas/ids/" + id + "/versions?deleted=true").json());
    }
    return dump;
  }
}
