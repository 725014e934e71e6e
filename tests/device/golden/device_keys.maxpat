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
		"openrect" : [ 0.0, 0.0, 602.0, 169.0 ],
		"openinpresentation" : 1,
		"devicewidth" : 602.0,
		"gridsize" : [ 15.0, 15.0 ],
		"description" : "AFTER instrument for keys",
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
				"text" : "nn~ after.midi.keys.ts forward_manual 8192",
				"numinlets" : 10,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 240, 20, 294, 22 ],
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
				"maxclass" : "live.tab",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["", "", "float"],
				"patching_rect" : [ 460, 56, 64, 54 ],
				"presentation" : 1,
				"presentation_rect" : [0, 28, 64, 54],
				"varname" : "timbre_source",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Timbre Source",
						"parameter_shortname" : "Source",
						"parameter_type" : 2,
						"parameter_mmin" : 0,
						"parameter_mmax" : 2,
						"parameter_enum" : ["Sidechain", "Dials", "Map"],
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
				"id" : "obj-4",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 92, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [72, 4, 44, 48],
				"varname" : "steps",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Steps",
						"parameter_shortname" : "Steps",
						"parameter_type" : 1,
						"parameter_mmin" : 1.0,
						"parameter_mmax" : 16.0,
						"parameter_initial" : [ 5.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 0,
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
				"presentation_rect" : [72, 58, 44, 48],
				"varname" : "guidance_structure",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Guidance Structure",
						"parameter_shortname" : "Struct.",
						"parameter_type" : 0,
						"parameter_mmin" : 0.0,
						"parameter_mmax" : 4.0,
						"parameter_initial" : [ 2.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-6",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 164, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [72, 112, 44, 48],
				"varname" : "guidance_timbre",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Guidance Timbre",
						"parameter_shortname" : "Timbre",
						"parameter_type" : 0,
						"parameter_mmin" : 0.0,
						"parameter_mmax" : 4.0,
						"parameter_initial" : [ 1.5 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-7",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 200, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [128, 112, 44, 48],
				"varname" : "map_x",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Map X",
						"parameter_shortname" : "X",
						"parameter_type" : 0,
						"parameter_mmin" : -1.0,
						"parameter_mmax" : 1.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-8",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 236, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [180, 112, 44, 48],
				"varname" : "map_y",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Map Y",
						"parameter_shortname" : "Y",
						"parameter_type" : 0,
						"parameter_mmin" : -1.0,
						"parameter_mmax" : 1.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-9",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 272, 40, 48 ],
				"presentation" : 1,
				"presentation_rect" : [236, 4, 40, 48],
				"varname" : "timbre_1",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Timbre 1",
						"parameter_shortname" : "T1",
						"parameter_type" : 0,
						"parameter_mmin" : -3.0,
						"parameter_mmax" : 3.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-10",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 308, 40, 48 ],
				"presentation" : 1,
				"presentation_rect" : [236, 58, 40, 48],
				"varname" : "timbre_2",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Timbre 2",
						"parameter_shortname" : "T2",
						"parameter_type" : 0,
						"parameter_mmin" : -3.0,
						"parameter_mmax" : 3.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-11",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 344, 40, 48 ],
				"presentation" : 1,
				"presentation_rect" : [236, 112, 40, 48],
				"varname" : "timbre_3",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Timbre 3",
						"parameter_shortname" : "T3",
						"parameter_type" : 0,
						"parameter_mmin" : -3.0,
						"parameter_mmax" : 3.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-12",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 380, 40, 48 ],
				"presentation" : 1,
				"presentation_rect" : [278, 4, 40, 48],
				"varname" : "timbre_4",
				"parameter_enable" : 1,
				"saved_attribute_attributes" : {
					"valueof" : {
						"parameter_longname" : "Timbre 4",
						"parameter_shortname" : "T4",
						"parameter_type" : 0,
						"parameter_mmin" : -3.0,
						"parameter_mmax" : 3.0,
						"parameter_initial" : [ 0.0 ],
						"parameter_initial_enable" : 1,
						"parameter_unitstyle" : 1,
						"parameter_modmode" : 3,
						"parameter_invisible" : 0
					}
				}
			}
		},
{
			"box" : {
				"id" : "obj-13",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 416, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [502, 112, 44, 48],
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
				"id" : "obj-14",
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
				"id" : "obj-15",
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
				"id" : "obj-16",
				"maxclass" : "newobj",
				"text" : "notein",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["int", "int", "int"],
				"patching_rect" : [ 680, 20, 42, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-17",
				"maxclass" : "newobj",
				"text" : "poly 3 1",
				"numinlets" : 2,
				"numoutlets" : 3,
				"outlettype" : ["int", "int", "int"],
				"patching_rect" : [ 680, 56, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-18",
				"maxclass" : "newobj",
				"text" : "pack 0 0 0",
				"numinlets" : 3,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 92, 70, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-19",
				"maxclass" : "newobj",
				"text" : "route 1 2 3",
				"numinlets" : 4,
				"numoutlets" : 4,
				"outlettype" : ["", "", "", ""],
				"patching_rect" : [ 680, 128, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-20",
				"maxclass" : "newobj",
				"text" : "unpack 0 0",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 680, 164, 70, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-21",
				"maxclass" : "newobj",
				"text" : "r keys-note",
				"numinlets" : 0,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 200, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-22",
				"maxclass" : "kslider",
				"numinlets" : 2,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 460, 452, 168, 48 ],
				"presentation" : 1,
				"presentation_rect" : [326, 4, 168, 48],
				"mode" : 1,
				"offset" : 48,
				"range" : 25,
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-23",
				"maxclass" : "toggle",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 460, 488, 18, 18 ],
				"presentation" : 1,
				"presentation_rect" : [326, 60, 18, 18],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-24",
				"maxclass" : "comment",
				"text" : "demo phrase",
				"numinlets" : 1,
				"numoutlets" : 0,
				"outlettype" : [],
				"patching_rect" : [ 460, 524, 89, 18 ],
				"presentation" : 1,
				"presentation_rect" : [348, 60, 89, 18],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-25",
				"maxclass" : "newobj",
				"text" : "metro 250",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["bang"],
				"patching_rect" : [ 680, 236, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-26",
				"maxclass" : "newobj",
				"text" : "i",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 680, 272, 40, 22 ],
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
				"patching_rect" : [ 680, 308, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-28",
				"maxclass" : "newobj",
				"text" : "% 8",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 680, 344, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-29",
				"maxclass" : "newobj",
				"text" : "sel 0 1 2 3 4 5 6 7",
				"numinlets" : 9,
				"numoutlets" : 9,
				"outlettype" : ["bang", "bang", "bang", "bang", "bang", "bang", "bang", "bang", ""],
				"patching_rect" : [ 680, 380, 133, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-30",
				"maxclass" : "newobj",
				"text" : "t i i b",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["", "", ""],
				"patching_rect" : [ 680, 416, 49, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-31",
				"maxclass" : "message",
				"text" : "60",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 452, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-32",
				"maxclass" : "message",
				"text" : "64",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 488, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-33",
				"maxclass" : "message",
				"text" : "67",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 524, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-34",
				"maxclass" : "message",
				"text" : "72",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 560, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-35",
				"maxclass" : "message",
				"text" : "67",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 596, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-36",
				"maxclass" : "message",
				"text" : "64",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 632, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-37",
				"maxclass" : "message",
				"text" : "62",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 668, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-38",
				"maxclass" : "message",
				"text" : "59",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 704, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-39",
				"maxclass" : "newobj",
				"text" : "i",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 680, 740, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-40",
				"maxclass" : "message",
				"text" : "$1 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 776, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-41",
				"maxclass" : "message",
				"text" : "$1 100",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 812, 42, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-42",
				"maxclass" : "newobj",
				"text" : "sel 0",
				"numinlets" : 2,
				"numoutlets" : 2,
				"outlettype" : ["bang", ""],
				"patching_rect" : [ 680, 848, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-43",
				"maxclass" : "newobj",
				"text" : "unpack 0 0",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 680, 884, 70, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-44",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 92, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-45",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 128, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-46",
				"maxclass" : "newobj",
				"text" : "unpack 0 0",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 680, 920, 70, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-47",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 164, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-48",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 200, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-49",
				"maxclass" : "newobj",
				"text" : "unpack 0 0",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 680, 956, 70, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-50",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 236, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-51",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 20, 272, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-52",
				"maxclass" : "live.meter~",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["float", "int"],
				"patching_rect" : [ 460, 560, 8, 102 ],
				"presentation" : 1,
				"presentation_rect" : [552, 58, 8, 102],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-53",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 20, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-54",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 56, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-55",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 92, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-56",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 128, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-57",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 164, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-58",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 200, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-59",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 236, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-60",
				"maxclass" : "newobj",
				"text" : "*~ 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 272, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-61",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 308, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-62",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 344, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-63",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 380, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-64",
				"maxclass" : "newobj",
				"text" : "*~ 0.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 416, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-65",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 452, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-66",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 488, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-67",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 524, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-68",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 560, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-69",
				"maxclass" : "newobj",
				"text" : "adc~ 3 4",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["signal", "signal"],
				"patching_rect" : [ 20, 308, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-70",
				"maxclass" : "newobj",
				"text" : "nn~ after.midi.keys.ts timbre 8192",
				"numinlets" : 1,
				"numoutlets" : 4,
				"outlettype" : ["signal", "signal", "signal", "signal"],
				"patching_rect" : [ 240, 56, 238, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-71",
				"maxclass" : "newobj",
				"text" : "nn~ after.midi.keys.ts map2latent 2048",
				"numinlets" : 2,
				"numoutlets" : 4,
				"outlettype" : ["signal", "signal", "signal", "signal"],
				"patching_rect" : [ 240, 92, 266, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-72",
				"maxclass" : "newobj",
				"text" : "nn~ after.midi.keys.ts latent2map 2048",
				"numinlets" : 4,
				"numoutlets" : 2,
				"outlettype" : ["signal", "signal"],
				"patching_rect" : [ 240, 128, 266, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-73",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 596, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-74",
				"maxclass" : "newobj",
				"text" : "sig~",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 900, 632, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-75",
				"maxclass" : "pictslider",
				"numinlets" : 2,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 460, 596, 104, 104 ],
				"presentation" : 1,
				"presentation_rect" : [124, 4, 104, 104],
				"varname" : "map",
				"bkgndpict" : "after.midi.keys_map.png",
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-76",
				"maxclass" : "newobj",
				"text" : "pak 0 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 992, 49, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-77",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1028, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-78",
				"maxclass" : "newobj",
				"text" : "scale 0 127 -1. 1.",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1064, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-79",
				"maxclass" : "newobj",
				"text" : "scale -1. 1. 0 127",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1100, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-80",
				"maxclass" : "newobj",
				"text" : "scale 0 127 1. -1.",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1136, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-81",
				"maxclass" : "newobj",
				"text" : "scale 1. -1. 0 127",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1172, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-82",
				"maxclass" : "newobj",
				"text" : "loadbang",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["bang"],
				"patching_rect" : [ 680, 1208, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-83",
				"maxclass" : "newobj",
				"text" : "metro 100",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["bang"],
				"patching_rect" : [ 680, 1244, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-84",
				"maxclass" : "newobj",
				"text" : "gate 1 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1280, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-85",
				"maxclass" : "newobj",
				"text" : "snapshot~ 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 900, 668, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-86",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 900, 704, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-87",
				"maxclass" : "newobj",
				"text" : "snapshot~ 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 900, 740, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-88",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 900, 776, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-89",
				"maxclass" : "newobj",
				"text" : "snapshot~ 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 900, 812, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-90",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 900, 848, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-91",
				"maxclass" : "newobj",
				"text" : "snapshot~ 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 900, 884, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-92",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 900, 920, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-93",
				"maxclass" : "newobj",
				"text" : "gate 1 1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1316, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-94",
				"maxclass" : "newobj",
				"text" : "snapshot~ 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 900, 956, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-95",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 900, 992, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-96",
				"maxclass" : "newobj",
				"text" : "snapshot~ 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 900, 1028, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-97",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 900, 1064, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-98",
				"maxclass" : "message",
				"text" : "enable $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1352, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-99",
				"maxclass" : "newobj",
				"text" : "sel 0 1 2",
				"numinlets" : 4,
				"numoutlets" : 4,
				"outlettype" : ["bang", "bang", "bang", ""],
				"patching_rect" : [ 680, 1388, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-100",
				"maxclass" : "newobj",
				"text" : "unpack 0 0 0",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["int", "int", "int"],
				"patching_rect" : [ 680, 1424, 84, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-101",
				"maxclass" : "message",
				"text" : "1 0 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1460, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-102",
				"maxclass" : "message",
				"text" : "0 1 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1496, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-103",
				"maxclass" : "message",
				"text" : "0 0 1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1532, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-104",
				"maxclass" : "message",
				"text" : "set nb_steps $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1568, 105, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-105",
				"maxclass" : "message",
				"text" : "set guidance_structure $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1604, 175, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-106",
				"maxclass" : "message",
				"text" : "set guidance_timbre $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 1640, 154, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-107",
				"maxclass" : "newobj",
				"text" : "dbtoa",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 1676, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-108",
				"maxclass" : "umenu",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["int", "", ""],
				"patching_rect" : [ 1120, 20, 100, 20 ],
				"presentation" : 1,
				"presentation_rect" : [502, 4, 100, 20],
				"items" : ["Init", ",", "Light CPU", ",", "Strong Timbre", ",", "Piano"],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-109",
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
				"id" : "obj-110",
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
				"id" : "obj-111",
				"maxclass" : "newobj",
				"text" : "pattrstorage after.midi.keys_presets @autorestore 1 @savemode 0",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 1120, 128, 441, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-112",
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
				"source" : [ "obj-108", 0 ],
				"destination" : [ "obj-109", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-109", 0 ],
				"destination" : [ "obj-110", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-110", 0 ],
				"destination" : [ "obj-111", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-14", 0 ],
				"destination" : [ "obj-15", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-14", 0 ],
				"destination" : [ "obj-15", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-16", 0 ],
				"destination" : [ "obj-17", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-16", 1 ],
				"destination" : [ "obj-17", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-20", 0 ],
				"destination" : [ "obj-17", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-20", 1 ],
				"destination" : [ "obj-17", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-21", 0 ],
				"destination" : [ "obj-20", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-22", 0 ],
				"destination" : [ "obj-17", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-22", 1 ],
				"destination" : [ "obj-17", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-23", 0 ],
				"destination" : [ "obj-25", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-25", 0 ],
				"destination" : [ "obj-26", 0 ]
			}
		},
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
				"destination" : [ "obj-26", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-26", 0 ],
				"destination" : [ "obj-29", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 0 ],
				"destination" : [ "obj-31", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-31", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 1 ],
				"destination" : [ "obj-32", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-32", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 2 ],
				"destination" : [ "obj-33", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-33", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 3 ],
				"destination" : [ "obj-34", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-34", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 4 ],
				"destination" : [ "obj-35", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-35", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 5 ],
				"destination" : [ "obj-36", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-36", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 6 ],
				"destination" : [ "obj-37", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-37", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-29", 7 ],
				"destination" : [ "obj-38", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-38", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-30", 2 ],
				"destination" : [ "obj-39", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-39", 0 ],
				"destination" : [ "obj-40", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-30", 1 ],
				"destination" : [ "obj-41", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-30", 0 ],
				"destination" : [ "obj-39", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-23", 0 ],
				"destination" : [ "obj-42", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-42", 0 ],
				"destination" : [ "obj-39", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-40", 0 ],
				"destination" : [ "obj-20", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-41", 0 ],
				"destination" : [ "obj-20", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-17", 0 ],
				"destination" : [ "obj-18", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-17", 1 ],
				"destination" : [ "obj-18", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-17", 2 ],
				"destination" : [ "obj-18", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-18", 0 ],
				"destination" : [ "obj-19", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-19", 0 ],
				"destination" : [ "obj-43", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-43", 0 ],
				"destination" : [ "obj-44", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-44", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-43", 1 ],
				"destination" : [ "obj-45", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-45", 0 ],
				"destination" : [ "obj-1", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-19", 1 ],
				"destination" : [ "obj-46", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-46", 0 ],
				"destination" : [ "obj-47", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-47", 0 ],
				"destination" : [ "obj-1", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-46", 1 ],
				"destination" : [ "obj-48", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-48", 0 ],
				"destination" : [ "obj-1", 3 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-19", 2 ],
				"destination" : [ "obj-49", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 0 ],
				"destination" : [ "obj-50", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-50", 0 ],
				"destination" : [ "obj-1", 4 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 1 ],
				"destination" : [ "obj-51", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-51", 0 ],
				"destination" : [ "obj-1", 5 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-1", 0 ],
				"destination" : [ "obj-14", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-14", 0 ],
				"destination" : [ "obj-52", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-53", 0 ],
				"destination" : [ "obj-1", 6 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-54", 0 ],
				"destination" : [ "obj-1", 7 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-55", 0 ],
				"destination" : [ "obj-1", 8 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-56", 0 ],
				"destination" : [ "obj-1", 9 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-57", 0 ],
				"destination" : [ "obj-1", 6 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-58", 0 ],
				"destination" : [ "obj-1", 7 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-59", 0 ],
				"destination" : [ "obj-1", 8 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-60", 0 ],
				"destination" : [ "obj-1", 9 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-61", 0 ],
				"destination" : [ "obj-1", 6 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-62", 0 ],
				"destination" : [ "obj-1", 7 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-63", 0 ],
				"destination" : [ "obj-1", 8 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-64", 0 ],
				"destination" : [ "obj-1", 9 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-9", 0 ],
				"destination" : [ "obj-65", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-65", 0 ],
				"destination" : [ "obj-57", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-10", 0 ],
				"destination" : [ "obj-66", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-66", 0 ],
				"destination" : [ "obj-58", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-11", 0 ],
				"destination" : [ "obj-67", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-67", 0 ],
				"destination" : [ "obj-59", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-12", 0 ],
				"destination" : [ "obj-68", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-68", 0 ],
				"destination" : [ "obj-60", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-69", 0 ],
				"destination" : [ "obj-70", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-70", 0 ],
				"destination" : [ "obj-53", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-70", 1 ],
				"destination" : [ "obj-54", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-70", 2 ],
				"destination" : [ "obj-55", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-70", 3 ],
				"destination" : [ "obj-56", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-7", 0 ],
				"destination" : [ "obj-73", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-73", 0 ],
				"destination" : [ "obj-71", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-8", 0 ],
				"destination" : [ "obj-74", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-74", 0 ],
				"destination" : [ "obj-71", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 0 ],
				"destination" : [ "obj-61", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 1 ],
				"destination" : [ "obj-62", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 2 ],
				"destination" : [ "obj-63", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 3 ],
				"destination" : [ "obj-64", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-65", 0 ],
				"destination" : [ "obj-72", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-66", 0 ],
				"destination" : [ "obj-72", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-67", 0 ],
				"destination" : [ "obj-72", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-68", 0 ],
				"destination" : [ "obj-72", 3 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-76", 0 ],
				"destination" : [ "obj-77", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 0 ],
				"destination" : [ "obj-75", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-75", 0 ],
				"destination" : [ "obj-78", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 0 ],
				"destination" : [ "obj-7", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-7", 0 ],
				"destination" : [ "obj-79", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-79", 0 ],
				"destination" : [ "obj-76", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-75", 1 ],
				"destination" : [ "obj-80", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-80", 0 ],
				"destination" : [ "obj-8", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-8", 0 ],
				"destination" : [ "obj-81", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-81", 0 ],
				"destination" : [ "obj-76", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-82", 0 ],
				"destination" : [ "obj-83", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-83", 0 ],
				"destination" : [ "obj-84", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-84", 0 ],
				"destination" : [ "obj-85", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 0 ],
				"destination" : [ "obj-85", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-85", 0 ],
				"destination" : [ "obj-86", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-86", 0 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-84", 0 ],
				"destination" : [ "obj-87", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 1 ],
				"destination" : [ "obj-87", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-87", 0 ],
				"destination" : [ "obj-88", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-88", 0 ],
				"destination" : [ "obj-10", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-84", 0 ],
				"destination" : [ "obj-89", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 2 ],
				"destination" : [ "obj-89", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-89", 0 ],
				"destination" : [ "obj-90", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-90", 0 ],
				"destination" : [ "obj-11", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-84", 0 ],
				"destination" : [ "obj-91", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 3 ],
				"destination" : [ "obj-91", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-91", 0 ],
				"destination" : [ "obj-92", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-92", 0 ],
				"destination" : [ "obj-12", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-83", 0 ],
				"destination" : [ "obj-93", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-93", 0 ],
				"destination" : [ "obj-94", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-72", 0 ],
				"destination" : [ "obj-94", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-94", 0 ],
				"destination" : [ "obj-95", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-95", 0 ],
				"destination" : [ "obj-7", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-94", 0 ],
				"destination" : [ "obj-79", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-93", 0 ],
				"destination" : [ "obj-96", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-72", 1 ],
				"destination" : [ "obj-96", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-96", 0 ],
				"destination" : [ "obj-97", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-97", 0 ],
				"destination" : [ "obj-8", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-96", 0 ],
				"destination" : [ "obj-81", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-2", 0 ],
				"destination" : [ "obj-98", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-98", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-98", 0 ],
				"destination" : [ "obj-70", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-98", 0 ],
				"destination" : [ "obj-71", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-98", 0 ],
				"destination" : [ "obj-72", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-3", 0 ],
				"destination" : [ "obj-99", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 0 ],
				"destination" : [ "obj-101", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-101", 0 ],
				"destination" : [ "obj-100", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 1 ],
				"destination" : [ "obj-102", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-102", 0 ],
				"destination" : [ "obj-100", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 2 ],
				"destination" : [ "obj-103", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-103", 0 ],
				"destination" : [ "obj-100", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 0 ],
				"destination" : [ "obj-53", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 0 ],
				"destination" : [ "obj-54", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 0 ],
				"destination" : [ "obj-55", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 0 ],
				"destination" : [ "obj-56", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 1 ],
				"destination" : [ "obj-57", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 1 ],
				"destination" : [ "obj-58", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 1 ],
				"destination" : [ "obj-59", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 1 ],
				"destination" : [ "obj-60", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 1 ],
				"destination" : [ "obj-93", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 1 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 1 ],
				"destination" : [ "obj-10", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 1 ],
				"destination" : [ "obj-11", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 1 ],
				"destination" : [ "obj-12", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 2 ],
				"destination" : [ "obj-61", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 2 ],
				"destination" : [ "obj-62", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 2 ],
				"destination" : [ "obj-63", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 2 ],
				"destination" : [ "obj-64", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-100", 2 ],
				"destination" : [ "obj-84", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 2 ],
				"destination" : [ "obj-7", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-99", 2 ],
				"destination" : [ "obj-8", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-4", 0 ],
				"destination" : [ "obj-104", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-104", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-5", 0 ],
				"destination" : [ "obj-105", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-105", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-6", 0 ],
				"destination" : [ "obj-106", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-106", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-13", 0 ],
				"destination" : [ "obj-107", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-107", 0 ],
				"destination" : [ "obj-14", 1 ]
			}
		}
		],
		"parameters" : {
			"obj-2" : [ "On", "On", 0 ],
			"obj-3" : [ "Timbre Source", "Source", 0 ],
			"obj-4" : [ "Steps", "Steps", 0 ],
			"obj-5" : [ "Guidance Structure", "Struct.", 0 ],
			"obj-6" : [ "Guidance Timbre", "Timbre", 0 ],
			"obj-7" : [ "Map X", "X", 0 ],
			"obj-8" : [ "Map Y", "Y", 0 ],
			"obj-9" : [ "Timbre 1", "T1", 0 ],
			"obj-10" : [ "Timbre 2", "T2", 0 ],
			"obj-11" : [ "Timbre 3", "T3", 0 ],
			"obj-12" : [ "Timbre 4", "T4", 0 ],
			"obj-13" : [ "Output Gain", "Out", 0 ],
			"parameterbanks" : {},
			"inherited_shortname" : 1
		},
		"dependency_cache" : [
			{
				"name" : "after.midi.keys_presets.json",
				"bootpath" : ".",
				"type" : "JSON",
				"implicit" : 1
			},
			{
				"name" : "after.midi.keys_map.png",
				"bootpath" : ".",
				"type" : "PNG",
				"implicit" : 1
			}
		],
		"autosave" : 0
	}
}
