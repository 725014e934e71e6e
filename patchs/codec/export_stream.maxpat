{
	"patcher" : {
		"fileversion" : 1,
		"appversion" : {
			"major" : 9,
			"minor" : 0,
			"revision" : 0,
			"architecture" : "x64",
			"modernui" : 1
		},
		"classnamespace" : "box",
		"rect" : [ 100.0, 100.0, 1400.0, 900.0 ],
		"openrect" : [ 0.0, 0.0, 166.0, 169.0 ],
		"openinpresentation" : 1,
		"devicewidth" : 166.0,
		"gridsize" : [ 15.0, 15.0 ],
		"description" : "Codec audio effect for export_stream",
		"latency" : 0,
		"is_mpe" : 0,
		"external_mpe_tuning_enabled" : 0,
		"minimum_live_version" : "",
		"minimum_max_version" : "",
		"platform_compatibility" : 0,
		"boxes" : [
{
			"box" : {
				"id" : "obj-1",
				"maxclass" : "newobj",
				"text" : "nn~ export_stream.ts forward 2048",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 240, 20, 231, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-2",
				"maxclass" : "live.toggle",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 460, 20, 18, 18 ],
				"presentation" : 1,
				"presentation_rect" : [0, 4, 18, 18],
				"varname" : "enable",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "On",
						"parameter_shortname" : "On",
						"parameter_type" : 2,
						"parameter_mmin" : 0,
						"parameter_mmax" : 1,
						"parameter_enum" : ["off", "on"],
						"parameter_initial" : [ 1.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 9,
						"parameter_modmode" : 0,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-3",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 56, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [0, 100, 44, 48],
				"varname" : "input_gain",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Input Gain",
						"parameter_shortname" : "In",
						"parameter_type" : 0,
						"parameter_mmin" : -70.0,
						"parameter_mmax" : 6.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 4,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-4",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 92, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [66, 58, 44, 48],
				"varname" : "dry_wet",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Dry/Wet",
						"parameter_shortname" : "Mix",
						"parameter_type" : 0,
						"parameter_mmin" : 0.0,
						"parameter_mmax" : 100.0,
						"parameter_initial" : [ 100.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 5,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-5",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 128, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [66, 112, 44, 48],
				"varname" : "output_gain",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Output Gain",
						"parameter_shortname" : "Out",
						"parameter_type" : 0,
						"parameter_mmin" : -70.0,
						"parameter_mmax" : 24.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 4,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-6",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 20, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-7",
				"maxclass" : "newobj",
				"text" : "dac~ 1 2",
				"numinlets" : 2,
				"numoutlets" : 0,
				"outlettype" : [],
				"patching_rect" : [ 20, 56, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-8",
				"maxclass" : "newobj",
				"text" : "adc~ 1 2",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["signal", "signal"],
				"patching_rect" : [ 20, 92, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-9",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 128, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-10",
				"maxclass" : "toggle",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 460, 164, 18, 18 ],
				"presentation" : 1,
				"presentation_rect" : [24, 4, 18, 18],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-11",
				"maxclass" : "comment",
				"text" : "test tone",
				"numinlets" : 1,
				"numoutlets" : 0,
				"outlettype" : [],
				"patching_rect" : [ 460, 200, 75, 18 ],
				"presentation" : 1,
				"presentation_rect" : [46, 4, 75, 18],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-12",
				"maxclass" : "newobj",
				"text" : "loadbang",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["bang"],
				"patching_rect" : [ 20, 164, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-13",
				"maxclass" : "message",
				"text" : "1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 20, 200, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-14",
				"maxclass" : "newobj",
				"text" : "* 0.25",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 20, 236, 42, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-15",
				"maxclass" : "newobj",
				"text" : "cycle~ 220",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 272, 70, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-16",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 308, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-17",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 344, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-18",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 380, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-19",
				"maxclass" : "live.meter~",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["float", "int"],
				"patching_rect" : [ 460, 236, 8, 60 ],
				"presentation" : 1,
				"presentation_rect" : [50, 100, 8, 60],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-20",
				"maxclass" : "live.meter~",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["float", "int"],
				"patching_rect" : [ 460, 272, 8, 102 ],
				"presentation" : 1,
				"presentation_rect" : [116, 58, 8, 102],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-21",
				"maxclass" : "message",
				"text" : "enable $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 20, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-22",
				"maxclass" : "newobj",
				"text" : "dbtoa",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 56, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-23",
				"maxclass" : "newobj",
				"text" : "/ 100.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 92, 42, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-24",
				"maxclass" : "newobj",
				"text" : "!- 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 128, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-25",
				"maxclass" : "newobj",
				"text" : "dbtoa",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 164, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-26",
				"maxclass" : "umenu",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["int", "", ""],
				"patching_rect" : [ 1120, 20, 100, 20 ],
				"presentation" : 1,
				"presentation_rect" : [66, 4, 100, 20],
				"items" : ["Init"],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-27",
				"maxclass" : "newobj",
				"text" : "+ 1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 1120, 56, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-28",
				"maxclass" : "newobj",
				"text" : "prepend recall",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 1120, 92, 98, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-29",
				"maxclass" : "newobj",
				"text" : "pattrstorage export_stream_presets @autorestore 1 @savemode 0",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 1120, 128, 427, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-30",
				"maxclass" : "newobj",
				"text" : "autopattr",
				"numinlets" : 1,
				"numoutlets" : 4,
				"outlettype" : ["", "", "", ""],
				"patching_rect" : [ 1120, 164, 63, 22 ],
				"parameter_enable" : 0
			}
		}
		],
		"lines" : [
{
			"patchline" : {
				"source" : [ "obj-26", 0 ],
				"destination" : [ "obj-27", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-27", 0 ],
				"destination" : [ "obj-28", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-28", 0 ],
				"destination" : [ "obj-29", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-6", 0 ],
				"destination" : [ "obj-7", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-6", 0 ],
				"destination" : [ "obj-7", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-8", 0 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-12", 0 ],
				"destination" : [ "obj-13", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-13", 0 ],
				"destination" : [ "obj-10", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-10", 0 ],
				"destination" : [ "obj-14", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-14", 0 ],
				"destination" : [ "obj-16", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-15", 0 ],
				"destination" : [ "obj-16", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-16", 0 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-9", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-1", 0 ],
				"destination" : [ "obj-17", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-9", 0 ],
				"destination" : [ "obj-18", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-18", 0 ],
				"destination" : [ "obj-6", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-17", 0 ],
				"destination" : [ "obj-6", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-9", 0 ],
				"destination" : [ "obj-19", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-6", 0 ],
				"destination" : [ "obj-20", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-2", 0 ],
				"destination" : [ "obj-21", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-21", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-3", 0 ],
				"destination" : [ "obj-22", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-22", 0 ],
				"destination" : [ "obj-9", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-4", 0 ],
				"destination" : [ "obj-23", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-23", 0 ],
				"destination" : [ "obj-17", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-23", 0 ],
				"destination" : [ "obj-24", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-24", 0 ],
				"destination" : [ "obj-18", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-5", 0 ],
				"destination" : [ "obj-25", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-25", 0 ],
				"destination" : [ "obj-6", 1 ]
			}
		}
		],
		"parameters" : {
			"obj-2" : [ "On", "On", 0 ],
			"obj-3" : [ "Input Gain", "In", 0 ],
			"obj-4" : [ "Dry/Wet", "Mix", 0 ],
			"obj-5" : [ "Output Gain", "Out", 0 ],
			"parameterbanks" : {},
			"inherited_shortname" : 1
		},
		"dependency_cache" : [
			{
				"name" : "export_stream_presets.json",
				"bootpath" : ".",
				"type" : "JSON",
				"implicit" : 1
			}
		],
		"autosave" : 0
	}
}
