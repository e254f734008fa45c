// Generated from lib/mcp/tool-specs.ts (the operation table's schemas): do not edit.
// Regenerate: UPDATE_MCP_TOOLS=1 npx vitest run --project unit lib/mcp/tools.test.ts
export const TOOLS = [
  {
    "name": "get_inbound_sources",
    "title": "List inbound sources",
    "description": "List the org's inbound sources (where providers such as Stripe or GitHub send webhooks): id, title, mnemonic, inbound URL, signature verification (secrets are never shown) and payload schema. Answers { data: [Source] }.",
    "inputSchema": {
      "type": "object",
      "properties": {},
      "additionalProperties": false
    },
    "annotations": {
      "title": "List inbound sources",
      "readOnlyHint": true,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "call": {
      "operation": "listInboundSources",
      "method": "GET",
      "path": "/api/v1/inbound-sources",
      "pathArgs": {},
      "rest": "none"
    }
  },
  {
    "name": "create_inbound_source",
    "title": "Create an inbound source",
    "description": "Create an inbound source: a URL a provider posts webhooks to. Give a title and a unique mnemonic (letters, digits, - and _); set verification (a preset such as stripe, github, shopify, slack or standard-webhooks, with the signing secret) so forged requests are refused. Answers the created Source with its inbound URL. Needs the operator or admin role.",
    "inputSchema": {
      "type": "object",
      "properties": {
        "title": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "mnemonic": {
          "type": "string",
          "pattern": "^[A-Za-z0-9_-]{1,64}$",
          "description": "Unique per org, case-sensitive; used in inbound URLs",
          "examples": [
            "stripe-live"
          ]
        },
        "description": {
          "anyOf": [
            {
              "type": "string",
              "maxLength": 2000
            },
            {
              "type": "null"
            }
          ]
        },
        "active": {
          "default": true,
          "type": "boolean"
        },
        "verification": {
          "anyOf": [
            {
              "$ref": "#/$defs/VerificationInput"
            },
            {
              "type": "null"
            }
          ]
        },
        "payloadSchema": {
          "anyOf": [
            {
              "$ref": "#/$defs/PayloadSchema"
            },
            {
              "type": "null"
            }
          ]
        }
      },
      "required": [
        "title",
        "mnemonic"
      ],
      "$defs": {
        "SourceCreate": {
          "type": "object",
          "properties": {
            "title": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            },
            "mnemonic": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$",
              "description": "Unique per org, case-sensitive; used in inbound URLs",
              "examples": [
                "stripe-live"
              ]
            },
            "description": {
              "anyOf": [
                {
                  "type": "string",
                  "maxLength": 2000
                },
                {
                  "type": "null"
                }
              ]
            },
            "active": {
              "default": true,
              "type": "boolean"
            },
            "verification": {
              "anyOf": [
                {
                  "$ref": "#/$defs/VerificationInput"
                },
                {
                  "type": "null"
                }
              ]
            },
            "payloadSchema": {
              "anyOf": [
                {
                  "$ref": "#/$defs/PayloadSchema"
                },
                {
                  "type": "null"
                }
              ]
            }
          },
          "required": [
            "title",
            "mnemonic"
          ]
        },
        "VerificationInput": {
          "type": "object",
          "properties": {
            "preset": {
              "default": "hmac",
              "description": "Provider preset (default \"hmac\")",
              "type": "string",
              "enum": [
                "hmac",
                "stripe",
                "github",
                "shopify",
                "slack",
                "standard-webhooks"
              ]
            },
            "header": {
              "description": "Signature header; presets fill it in, \"hmac\" defaults to X-Signature",
              "type": "string",
              "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$"
            },
            "prefix": {
              "description": "Stripped before comparing, e.g. \"sha256=\" (hmac only)",
              "anyOf": [
                {
                  "type": "string",
                  "maxLength": 64
                },
                {
                  "type": "null"
                }
              ]
            },
            "algorithm": {
              "description": "Default \"sha256\"; presets other than hmac fix it",
              "type": "string",
              "enum": [
                "sha1",
                "sha256",
                "sha512"
              ]
            },
            "encoding": {
              "description": "Default \"hex\"; presets other than hmac fix it",
              "type": "string",
              "enum": [
                "hex",
                "base64"
              ]
            },
            "timestampField": {
              "anyOf": [
                {
                  "$ref": "#/$defs/BodyPath"
                },
                {
                  "type": "null"
                }
              ]
            },
            "replayTolerance": {
              "description": "Seconds; signed-timestamp presets default to 300",
              "anyOf": [
                {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 2592000
                },
                {
                  "type": "null"
                }
              ]
            },
            "secret": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024,
              "description": "Write-only: never returned; responses show secretHint instead",
              "writeOnly": true
            }
          },
          "required": [
            "secret"
          ],
          "description": "Signature verification settings; the secret is required on create"
        },
        "BodyPath": {
          "type": "string",
          "description": "A path into the payload, e.g. \"data.object\" ($body.<path> for a key that begins with $)",
          "examples": [
            "data.object"
          ]
        },
        "PayloadSchema": {
          "type": "object",
          "propertyNames": {
            "type": "string"
          },
          "additionalProperties": {},
          "description": "A JSON Schema (draft 2020-12) object, validated with AJV"
        }
      }
    },
    "annotations": {
      "title": "Create an inbound source",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    },
    "call": {
      "operation": "createInboundSource",
      "method": "POST",
      "path": "/api/v1/inbound-sources",
      "pathArgs": {},
      "rest": "body"
    }
  },
  {
    "name": "get_inbound_mappings",
    "title": "List inbound mappings",
    "description": "List mappings (how a source's webhook payloads become interactions: conditions, resourceType, resourceIdPath, actionPath, fields), highest priority first; give sourceId for one source's. Answers { data: [Mapping] }.",
    "inputSchema": {
      "type": "object",
      "properties": {
        "sourceId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        }
      }
    },
    "annotations": {
      "title": "List inbound mappings",
      "readOnlyHint": true,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "call": {
      "operation": "listInboundMappings",
      "method": "GET",
      "path": "/api/v1/inbound-mappings",
      "pathArgs": {},
      "rest": "query"
    }
  },
  {
    "name": "create_inbound_mapping",
    "title": "Create an inbound mapping",
    "description": "Create a mapping on a source: conditions that select it (all must pass), the resourceType, JSON paths to the resource id, action and idempotency key, and the fields to copy into the interaction. Test it with test_inbound_mapping before relying on it. Answers the created Mapping. Needs the operator or admin role.",
    "inputSchema": {
      "type": "object",
      "properties": {
        "sourceId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        },
        "title": {
          "description": "Defaults to \"<resourceType>.<action>\"",
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "active": {
          "default": true,
          "type": "boolean"
        },
        "priority": {
          "default": 0,
          "description": "Higher runs first; ties: oldest first",
          "type": "integer",
          "minimum": -1000000,
          "maximum": 1000000
        },
        "resourceType": {
          "type": "string",
          "minLength": 1,
          "maxLength": 128
        },
        "action": {
          "description": "The action name; or give actionPath to read it from each payload",
          "type": "string",
          "minLength": 1,
          "maxLength": 128
        },
        "actionPath": {
          "description": "Payload path whose string value is the action name (instead of action)",
          "$ref": "#/$defs/PayloadPath"
        },
        "conditions": {
          "default": [],
          "maxItems": 100,
          "type": "array",
          "items": {
            "$ref": "#/$defs/Condition"
          }
        },
        "payloadSchema": {
          "anyOf": [
            {
              "$ref": "#/$defs/PayloadSchema"
            },
            {
              "type": "null"
            }
          ]
        },
        "schemaRootPath": {
          "anyOf": [
            {
              "$ref": "#/$defs/BodyPath"
            },
            {
              "type": "null"
            }
          ]
        },
        "idempotencyPath": {
          "anyOf": [
            {
              "$ref": "#/$defs/PayloadPath"
            },
            {
              "type": "null"
            }
          ]
        },
        "resourceIdPath": {
          "$ref": "#/$defs/PayloadPath"
        },
        "fieldMappings": {
          "anyOf": [
            {
              "type": "object",
              "propertyNames": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128
              },
              "additionalProperties": {
                "$ref": "#/$defs/PayloadPath"
              },
              "description": "Interaction field → payload path; absent = the whole payload is the object"
            },
            {
              "type": "null"
            }
          ]
        },
        "metadataPaths": {
          "anyOf": [
            {
              "type": "object",
              "propertyNames": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128
              },
              "additionalProperties": {
                "$ref": "#/$defs/PayloadPath"
              },
              "description": "userId, sessionId, uowId or any key → payload path; merged into the object as \"_<key>\""
            },
            {
              "type": "null"
            }
          ]
        }
      },
      "required": [
        "sourceId",
        "resourceType",
        "resourceIdPath"
      ],
      "$defs": {
        "MappingCreate": {
          "type": "object",
          "properties": {
            "sourceId": {
              "type": "string",
              "format": "uuid",
              "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
            },
            "title": {
              "description": "Defaults to \"<resourceType>.<action>\"",
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            },
            "active": {
              "default": true,
              "type": "boolean"
            },
            "priority": {
              "default": 0,
              "description": "Higher runs first; ties: oldest first",
              "type": "integer",
              "minimum": -1000000,
              "maximum": 1000000
            },
            "resourceType": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            },
            "action": {
              "description": "The action name; or give actionPath to read it from each payload",
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            },
            "actionPath": {
              "description": "Payload path whose string value is the action name (instead of action)",
              "$ref": "#/$defs/PayloadPath"
            },
            "conditions": {
              "default": [],
              "maxItems": 100,
              "type": "array",
              "items": {
                "$ref": "#/$defs/Condition"
              }
            },
            "payloadSchema": {
              "anyOf": [
                {
                  "$ref": "#/$defs/PayloadSchema"
                },
                {
                  "type": "null"
                }
              ]
            },
            "schemaRootPath": {
              "anyOf": [
                {
                  "$ref": "#/$defs/BodyPath"
                },
                {
                  "type": "null"
                }
              ]
            },
            "idempotencyPath": {
              "anyOf": [
                {
                  "$ref": "#/$defs/PayloadPath"
                },
                {
                  "type": "null"
                }
              ]
            },
            "resourceIdPath": {
              "$ref": "#/$defs/PayloadPath"
            },
            "fieldMappings": {
              "anyOf": [
                {
                  "type": "object",
                  "propertyNames": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 128
                  },
                  "additionalProperties": {
                    "$ref": "#/$defs/PayloadPath"
                  },
                  "description": "Interaction field → payload path; absent = the whole payload is the object"
                },
                {
                  "type": "null"
                }
              ]
            },
            "metadataPaths": {
              "anyOf": [
                {
                  "type": "object",
                  "propertyNames": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 128
                  },
                  "additionalProperties": {
                    "$ref": "#/$defs/PayloadPath"
                  },
                  "description": "userId, sessionId, uowId or any key → payload path; merged into the object as \"_<key>\""
                },
                {
                  "type": "null"
                }
              ]
            }
          },
          "required": [
            "sourceId",
            "resourceType",
            "resourceIdPath"
          ]
        },
        "PayloadPath": {
          "type": "string",
          "description": "A payload path: dot notation with array indexes, e.g. \"data.object.id\" or \"items[0].sku\". Or a request path: $headers.<name> (a request header, name case-insensitive; repeated headers joined with \", \"), $query.<name> (a query parameter of the inbound URL) or $body.<path> (the body, for a key that begins with $). Headers carrying signatures or credentials cannot be read. __proto__, constructor and prototype are refused.",
          "examples": [
            "data.object.id",
            "items[0].sku",
            "$headers.x-github-event"
          ]
        },
        "Condition": {
          "type": "object",
          "properties": {
            "path": {
              "type": "string"
            },
            "op": {
              "type": "string",
              "enum": [
                "eq",
                "neq",
                "in",
                "nin",
                "exists",
                "notExists",
                "contains",
                "startsWith",
                "endsWith",
                "matches",
                "gt",
                "gte",
                "lt",
                "lte"
              ]
            },
            "value": {
              "description": "Required except for exists/notExists; an array for in/nin"
            }
          },
          "required": [
            "path",
            "op"
          ],
          "description": "All conditions of a mapping must pass for it to be selected"
        },
        "PayloadSchema": {
          "type": "object",
          "propertyNames": {
            "type": "string"
          },
          "additionalProperties": {},
          "description": "A JSON Schema (draft 2020-12) object, validated with AJV"
        },
        "BodyPath": {
          "type": "string",
          "description": "A path into the payload, e.g. \"data.object\" ($body.<path> for a key that begins with $)",
          "examples": [
            "data.object"
          ]
        }
      }
    },
    "annotations": {
      "title": "Create an inbound mapping",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    },
    "call": {
      "operation": "createInboundMapping",
      "method": "POST",
      "path": "/api/v1/inbound-mappings",
      "pathArgs": {},
      "rest": "body"
    }
  },
  {
    "name": "test_inbound_mapping",
    "title": "Dry-run a mapping",
    "description": "Dry-run a mapping against a sample payload without writing anything: whether its conditions match, schema errors, and the interaction it would produce (resourceType, resourceId, action, idempotencyKey, object). Use it to check a mapping before sending real webhooks.",
    "inputSchema": {
      "type": "object",
      "properties": {
        "mappingId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
          "description": "The mapping's id (a uuid, as returned by the list tools)"
        },
        "payload": {
          "description": "A sample payload (any JSON value)"
        },
        "headers": {
          "description": "The request's headers, as a provider would send them (names case-insensitive), for paths that read $headers.<name>. Signature and credential headers are redacted, as the pipeline stores them.",
          "examples": [
            {
              "X-GitHub-Event": "pull_request",
              "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"
            }
          ],
          "type": "object",
          "propertyNames": {
            "type": "string",
            "minLength": 1,
            "maxLength": 256
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 8192
          }
        },
        "query": {
          "description": "The inbound URL's query parameters, for paths that read $query.<name>",
          "examples": [
            {
              "tenant": "acme"
            }
          ],
          "type": "object",
          "propertyNames": {
            "type": "string",
            "minLength": 1,
            "maxLength": 256
          },
          "additionalProperties": {
            "type": "string",
            "maxLength": 2048
          }
        }
      },
      "required": [
        "mappingId",
        "payload"
      ]
    },
    "annotations": {
      "title": "Dry-run a mapping",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    },
    "call": {
      "operation": "testInboundMapping",
      "method": "POST",
      "path": "/api/v1/inbound-mappings/{id}/test",
      "pathArgs": {
        "mappingId": "id"
      },
      "rest": "body"
    }
  },
  {
    "name": "what_if_mapping",
    "title": "What-if replay of a mapping change",
    "description": "Before changing a mapping, run the draft over the source's newest stored events (limit, default 200, at most 5000) beside today's mappings, writing nothing. Answers a summary (e.g. \"37 events change mapping, 4 start failing\") and each changed event: the mapping chosen today and with the draft, the outcome, and the interaction fields and dedup that change. draft is a PATCH of the mapping (omitted fields kept).",
    "inputSchema": {
      "type": "object",
      "properties": {
        "mappingId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
          "description": "The mapping's id (a uuid, as returned by the list tools)"
        },
        "draft": {
          "description": "The change to the mapping, as PATCH takes it",
          "$ref": "#/$defs/MappingUpdate"
        },
        "limit": {
          "default": 200,
          "description": "How many of the source's newest events to run (default 200, at most 5000)",
          "type": "integer",
          "minimum": 1,
          "maximum": 5000
        }
      },
      "required": [
        "mappingId",
        "draft"
      ],
      "$defs": {
        "PayloadPath": {
          "type": "string",
          "description": "A payload path: dot notation with array indexes, e.g. \"data.object.id\" or \"items[0].sku\". Or a request path: $headers.<name> (a request header, name case-insensitive; repeated headers joined with \", \"), $query.<name> (a query parameter of the inbound URL) or $body.<path> (the body, for a key that begins with $). Headers carrying signatures or credentials cannot be read. __proto__, constructor and prototype are refused.",
          "examples": [
            "data.object.id",
            "items[0].sku",
            "$headers.x-github-event"
          ]
        },
        "Condition": {
          "type": "object",
          "properties": {
            "path": {
              "type": "string"
            },
            "op": {
              "type": "string",
              "enum": [
                "eq",
                "neq",
                "in",
                "nin",
                "exists",
                "notExists",
                "contains",
                "startsWith",
                "endsWith",
                "matches",
                "gt",
                "gte",
                "lt",
                "lte"
              ]
            },
            "value": {
              "description": "Required except for exists/notExists; an array for in/nin"
            }
          },
          "required": [
            "path",
            "op"
          ],
          "description": "All conditions of a mapping must pass for it to be selected"
        },
        "PayloadSchema": {
          "type": "object",
          "propertyNames": {
            "type": "string"
          },
          "additionalProperties": {},
          "description": "A JSON Schema (draft 2020-12) object, validated with AJV"
        },
        "BodyPath": {
          "type": "string",
          "description": "A path into the payload, e.g. \"data.object\" ($body.<path> for a key that begins with $)",
          "examples": [
            "data.object"
          ]
        },
        "MappingUpdate": {
          "type": "object",
          "properties": {
            "sourceId": {
              "type": "string",
              "format": "uuid",
              "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
            },
            "title": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            },
            "active": {
              "type": "boolean"
            },
            "priority": {
              "type": "integer",
              "minimum": -1000000,
              "maximum": 1000000
            },
            "resourceType": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            },
            "action": {
              "description": "Setting it clears actionPath",
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            },
            "actionPath": {
              "description": "Setting it clears action",
              "$ref": "#/$defs/PayloadPath"
            },
            "conditions": {
              "maxItems": 100,
              "type": "array",
              "items": {
                "$ref": "#/$defs/Condition"
              }
            },
            "payloadSchema": {
              "anyOf": [
                {
                  "$ref": "#/$defs/PayloadSchema"
                },
                {
                  "type": "null"
                }
              ]
            },
            "schemaRootPath": {
              "anyOf": [
                {
                  "$ref": "#/$defs/BodyPath"
                },
                {
                  "type": "null"
                }
              ]
            },
            "idempotencyPath": {
              "anyOf": [
                {
                  "$ref": "#/$defs/PayloadPath"
                },
                {
                  "type": "null"
                }
              ]
            },
            "resourceIdPath": {
              "$ref": "#/$defs/PayloadPath"
            },
            "fieldMappings": {
              "anyOf": [
                {
                  "type": "object",
                  "propertyNames": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 128
                  },
                  "additionalProperties": {
                    "$ref": "#/$defs/PayloadPath"
                  },
                  "description": "Interaction field → payload path; absent = the whole payload is the object"
                },
                {
                  "type": "null"
                }
              ]
            },
            "metadataPaths": {
              "anyOf": [
                {
                  "type": "object",
                  "propertyNames": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 128
                  },
                  "additionalProperties": {
                    "$ref": "#/$defs/PayloadPath"
                  },
                  "description": "userId, sessionId, uowId or any key → payload path; merged into the object as \"_<key>\""
                },
                {
                  "type": "null"
                }
              ]
            }
          },
          "description": "Fields omitted are kept; null clears an optional field"
        }
      }
    },
    "annotations": {
      "title": "What-if replay of a mapping change",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    },
    "call": {
      "operation": "whatIfMapping",
      "method": "POST",
      "path": "/api/v1/inbound-mappings/{id}/what-if",
      "pathArgs": {
        "mappingId": "id"
      },
      "rest": "body"
    }
  },
  {
    "name": "get_events",
    "title": "List inbound events",
    "description": "List the webhook requests sources received, newest first, with each one's status (queued, processed, failed, …) and stages; filter by sourceId and status (e.g. failed to find problems). Answers { data, nextCursor } newest first; pass nextCursor as cursor for the next page (null: no more).",
    "inputSchema": {
      "type": "object",
      "properties": {
        "sourceId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        },
        "status": {
          "type": "string",
          "enum": [
            "queued",
            "processed",
            "failed",
            "duplicate",
            "unmatched"
          ]
        },
        "cursor": {
          "description": "The nextCursor of the previous page (opaque)",
          "type": "string"
        },
        "limit": {
          "default": 50,
          "description": "Page size, 1–200 (default 50)",
          "type": "integer",
          "minimum": 1,
          "maximum": 200
        }
      }
    },
    "annotations": {
      "title": "List inbound events",
      "readOnlyHint": true,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "call": {
      "operation": "listEvents",
      "method": "GET",
      "path": "/api/v1/events",
      "pathArgs": {},
      "rest": "query"
    }
  },
  {
    "name": "replay_event",
    "title": "Replay an event",
    "description": "Replay a stored event: a new event (replayOf the original) runs mapping selection, schema, dedup and interaction again with today's mappings. Use after fixing a mapping for a failed event. Answers { queued, eventId } (the new event). Needs the operator or admin role.",
    "inputSchema": {
      "type": "object",
      "properties": {
        "eventId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
          "description": "The event's id (a uuid, as returned by the list tools)"
        }
      },
      "required": [
        "eventId"
      ],
      "additionalProperties": false
    },
    "annotations": {
      "title": "Replay an event",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    },
    "call": {
      "operation": "replayEvent",
      "method": "POST",
      "path": "/api/v1/events/{id}/replay",
      "pathArgs": {
        "eventId": "id"
      },
      "rest": "none"
    }
  },
  {
    "name": "get_interactions",
    "title": "List interactions",
    "description": "List interactions (the business events the pipeline produced from webhooks, deduplicated), newest first; filter by sourceId, resourceType and action. Answers { data, nextCursor } newest first; pass nextCursor as cursor for the next page (null: no more).",
    "inputSchema": {
      "type": "object",
      "properties": {
        "sourceId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        },
        "resourceType": {
          "description": "Resource type name",
          "type": "string",
          "minLength": 1,
          "maxLength": 128
        },
        "action": {
          "description": "Action name",
          "type": "string",
          "minLength": 1,
          "maxLength": 128
        },
        "cursor": {
          "description": "The nextCursor of the previous page (opaque)",
          "type": "string"
        },
        "limit": {
          "default": 50,
          "description": "Page size, 1–200 (default 50)",
          "type": "integer",
          "minimum": 1,
          "maximum": 200
        }
      }
    },
    "annotations": {
      "title": "List interactions",
      "readOnlyHint": true,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "call": {
      "operation": "listInteractions",
      "method": "GET",
      "path": "/api/v1/interactions",
      "pathArgs": {},
      "rest": "query"
    }
  },
  {
    "name": "get_deliveries",
    "title": "List deliveries",
    "description": "List deliveries of interactions to targets, newest first, with status (pending, delivered, failed, dead) and attempts; filter by status, targetId or interactionId. Answers { data, nextCursor } newest first; pass nextCursor as cursor for the next page (null: no more).",
    "inputSchema": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string",
          "enum": [
            "pending",
            "succeeded",
            "failed",
            "dead"
          ]
        },
        "targetId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        },
        "interactionId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        },
        "cursor": {
          "description": "The nextCursor of the previous page (opaque)",
          "type": "string"
        },
        "limit": {
          "default": 50,
          "description": "Page size, 1–200 (default 50)",
          "type": "integer",
          "minimum": 1,
          "maximum": 200
        }
      }
    },
    "annotations": {
      "title": "List deliveries",
      "readOnlyHint": true,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "call": {
      "operation": "listDeliveries",
      "method": "GET",
      "path": "/api/v1/deliveries",
      "pathArgs": {},
      "rest": "query"
    }
  },
  {
    "name": "retry_delivery",
    "title": "Retry a delivery",
    "description": "Retry a failed or dead delivery now with a fresh attempt budget (earlier attempts are kept). Answers { queued, deliveryId }. Needs the operator or admin role.",
    "inputSchema": {
      "type": "object",
      "properties": {
        "deliveryId": {
          "type": "string",
          "format": "uuid",
          "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
          "description": "The delivery's id (a uuid, as returned by the list tools)"
        }
      },
      "required": [
        "deliveryId"
      ],
      "additionalProperties": false
    },
    "annotations": {
      "title": "Retry a delivery",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    },
    "call": {
      "operation": "retryDelivery",
      "method": "POST",
      "path": "/api/v1/deliveries/{id}/retry",
      "pathArgs": {
        "deliveryId": "id"
      },
      "rest": "none"
    }
  }
];
