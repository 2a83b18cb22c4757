typedef int lucid_stub;
