// Command stackconfig reads a Pulumi stack file with go-yaml, the library the Pulumi CLI parses stack
// files with (gopkg.in/yaml.v3 since Pulumi 3.50, gopkg.in/yaml.v2 before), and prints the config
// the CLI would hand the program, as JSON:
//
//	{"config": {"<ns>:<name>": "<value>"}, "secretKeys": ["<ns>:<name>"]}
//	{"error": "<what go-yaml or the CLI said>"}
//
// Values follow sdk/go/common/resource/config (Value, object): strings as they are, booleans and
// numbers as JSON, maps and lists as JSON; a `secure:` value (a map of one string key "secure") makes
// its key secret and, since it cannot be decrypted here, stands as "[secret]". Keys must be
// <ns>:<name> or <ns>:config:<name> (config.ParseKey). Test-only: the suite builds it with
// GOPATH=/usr/share/gocode GO111MODULE=off against Debian's golang-gopkg-yaml.v{2,3}-dev.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	yamlv2 "gopkg.in/yaml.v2"
	yamlv3 "gopkg.in/yaml.v3"
)

type stackFile struct {
	Config map[string]interface{} `yaml:"config"`
}

const placeholder = "[secret]"

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "v2" && os.Args[1] != "v3") {
		fmt.Fprintln(os.Stderr, "usage: stackconfig v2|v3 <stack file>")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err.Error())
	}
	var doc stackFile
	if os.Args[1] == "v3" {
		err = yamlv3.Unmarshal(data, &doc)
	} else {
		err = yamlv2.Unmarshal(data, &doc)
	}
	if err != nil {
		fail(err.Error())
	}
	config := map[string]string{}
	secretKeys := []string{}
	for key, raw := range doc.Config {
		name, err := parseKey(key)
		if err != nil {
			fail(err.Error())
		}
		value, secret, err := render(raw)
		if err != nil {
			fail(fmt.Sprintf("%s: %s", key, err))
		}
		config[name] = value
		if secret {
			secretKeys = append(secretKeys, name)
		}
	}
	sort.Strings(secretKeys)
	out, _ := json.Marshal(map[string]interface{}{"config": config, "secretKeys": secretKeys})
	fmt.Println(string(out))
}

func fail(message string) {
	out, _ := json.Marshal(map[string]string{"error": message})
	fmt.Println(string(out))
	os.Exit(0)
}

// parseKey accepts <ns>:<name> and <ns>:config:<name>, as config.ParseKey does.
func parseKey(key string) (string, error) {
	parts := strings.Split(key, ":")
	switch {
	case len(parts) == 2:
		return key, nil
	case len(parts) == 3 && parts[1] == "config":
		return parts[0] + ":" + parts[2], nil
	}
	return "", fmt.Errorf("could not parse %s as a configuration key (configuration keys should be of the form `<namespace>:<name>`)", key)
}

// render turns one decoded value into the string the program receives, and whether it is secret.
func render(raw interface{}) (string, bool, error) {
	switch v := raw.(type) {
	case string:
		return v, false, nil
	case time.Time:
		return v.String(), false, nil
	}
	if _, ok := secure(raw); ok {
		return placeholder, true, nil
	}
	// Booleans and numbers are JSON text, as object.MarshalString writes them; maps and lists JSON.
	plain, secret := normalize(raw)
	bytes, err := json.Marshal(plain)
	if err != nil {
		return "", false, err
	}
	return string(bytes), secret, nil
}

// secure reports a `{ secure: <ciphertext> }` value (config.isSecureValue).
func secure(raw interface{}) (string, bool) {
	m, ok := asMap(raw)
	if !ok || len(m) != 1 {
		return "", false
	}
	s, ok := m["secure"].(string)
	return s, ok
}

// normalize makes v2's map[interface{}]interface{} JSON-encodable, replaces nested secure values with
// the placeholder, and reports whether it met one.
func normalize(raw interface{}) (interface{}, bool) {
	if _, ok := secure(raw); ok {
		return placeholder, true
	}
	if m, ok := asMap(raw); ok {
		out := map[string]interface{}{}
		any := false
		for k, v := range m {
			nv, s := normalize(v)
			out[k] = nv
			any = any || s
		}
		return out, any
	}
	if list, ok := raw.([]interface{}); ok {
		out := make([]interface{}, len(list))
		any := false
		for i, v := range list {
			nv, s := normalize(v)
			out[i] = nv
			any = any || s
		}
		return out, any
	}
	if t, ok := raw.(time.Time); ok {
		return t.String(), false
	}
	return raw, false
}

func asMap(raw interface{}) (map[string]interface{}, bool) {
	switch m := raw.(type) {
	case map[string]interface{}:
		return m, true
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(m))
		for k, v := range m {
			out[fmt.Sprintf("%v", k)] = v
		}
		return out, true
	}
	return nil, false
}
