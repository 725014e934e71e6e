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
		"openrect" : [ 0.0, 0.0, 426.0, 169.0 ],
		"openinpresentation" : 1,
		"devicewidth" : 426.0,
		"gridsize" : [ 15.0, 15.0 ],
		"description" : "AFTER audio effect for demo",
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
				"text" : "nn~ after.audio.demo.ts forward_manual 8192",
				"numinlets" : 5,
				"numoutlets" : 1,
				"outlettype" : ["signal"],
				"patching_rect" : [ 240, 20, 301, 22 ],
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
				"id" : "obj-5",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 128, 44, 48 ],
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
						"parameter_initial" : [ 4.0 ],
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
				"id" : "obj-6",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 164, 44, 48 ],
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
						"parameter_initial" : [ 1.0 ],
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
						"parameter_initial" : [ 1.0 ],
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
				"id" : "obj-9",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 272, 44, 48 ],
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
				"id" : "obj-10",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 308, 40, 48 ],
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
				"id" : "obj-11",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 344, 40, 48 ],
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
				"id" : "obj-12",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 380, 40, 48 ],
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
				"id" : "obj-13",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 416, 40, 48 ],
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
				"id" : "obj-14",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 452, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [326, 58, 44, 48],
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
				"id" : "obj-15",
				"maxclass" : "live.dial",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["", "float"],
				"patching_rect" : [ 460, 488, 44, 48 ],
				"presentation" : 1,
				"presentation_rect" : [326, 112, 44, 48],
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
				"id" : "obj-16",
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
				"id" : "obj-17",
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
				"id" : "obj-18",
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
				"id" : "obj-19",
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
				"id" : "obj-20",
				"maxclass" : "toggle",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["int"],
				"patching_rect" : [ 460, 524, 18, 18 ],
				"presentation" : 1,
				"presentation_rect" : [24, 4, 18, 18],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-21",
				"maxclass" : "comment",
				"text" : "test tone",
				"numinlets" : 1,
				"numoutlets" : 0,
				"outlettype" : [],
				"patching_rect" : [ 460, 560, 75, 18 ],
				"presentation" : 1,
				"presentation_rect" : [46, 4, 75, 18],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-22",
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
				"id" : "obj-23",
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
				"id" : "obj-24",
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
				"id" : "obj-25",
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
				"id" : "obj-26",
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
				"id" : "obj-27",
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
				"id" : "obj-28",
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
				"id" : "obj-29",
				"maxclass" : "live.meter~",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["float", "int"],
				"patching_rect" : [ 460, 596, 8, 60 ],
				"presentation" : 1,
				"presentation_rect" : [50, 100, 8, 60],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-30",
				"maxclass" : "live.meter~",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["float", "int"],
				"patching_rect" : [ 460, 632, 8, 102 ],
				"presentation" : 1,
				"presentation_rect" : [376, 58, 8, 102],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-31",
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
				"id" : "obj-32",
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
				"id" : "obj-33",
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
				"id" : "obj-34",
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
				"id" : "obj-35",
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
				"id" : "obj-36",
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
				"id" : "obj-37",
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
				"id" : "obj-38",
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
				"id" : "obj-39",
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
				"id" : "obj-40",
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
				"id" : "obj-41",
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
				"id" : "obj-42",
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
				"id" : "obj-43",
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
				"id" : "obj-44",
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
				"id" : "obj-45",
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
				"id" : "obj-46",
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
				"id" : "obj-47",
				"maxclass" : "newobj",
				"text" : "adc~ 3 4",
				"numinlets" : 1,
				"numoutlets" : 2,
				"outlettype" : ["signal", "signal"],
				"patching_rect" : [ 20, 416, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-48",
				"maxclass" : "newobj",
				"text" : "nn~ after.audio.demo.ts timbre 8192",
				"numinlets" : 1,
				"numoutlets" : 4,
				"outlettype" : ["signal", "signal", "signal", "signal"],
				"patching_rect" : [ 240, 56, 245, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-49",
				"maxclass" : "newobj",
				"text" : "nn~ after.audio.demo.ts map2latent 2048",
				"numinlets" : 2,
				"numoutlets" : 4,
				"outlettype" : ["signal", "signal", "signal", "signal"],
				"patching_rect" : [ 240, 92, 273, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-50",
				"maxclass" : "newobj",
				"text" : "nn~ after.audio.demo.ts latent2map 2048",
				"numinlets" : 4,
				"numoutlets" : 2,
				"outlettype" : ["signal", "signal"],
				"patching_rect" : [ 240, 128, 273, 22 ],
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
				"patching_rect" : [ 900, 596, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-52",
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
				"id" : "obj-53",
				"maxclass" : "pictslider",
				"numinlets" : 2,
				"numoutlets" : 2,
				"outlettype" : ["int", "int"],
				"patching_rect" : [ 460, 668, 104, 104 ],
				"presentation" : 1,
				"presentation_rect" : [124, 4, 104, 104],
				"varname" : "map",
				"bkgndpict" : "after.audio.demo_map.png",
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-54",
				"maxclass" : "newobj",
				"text" : "pak 0 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 20, 49, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-55",
				"maxclass" : "newobj",
				"text" : "prepend set",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 56, 77, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-56",
				"maxclass" : "newobj",
				"text" : "scale 0 127 -1. 1.",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 92, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-57",
				"maxclass" : "newobj",
				"text" : "scale -1. 1. 0 127",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 128, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-58",
				"maxclass" : "newobj",
				"text" : "scale 0 127 1. -1.",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 164, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-59",
				"maxclass" : "newobj",
				"text" : "scale 1. -1. 0 127",
				"numinlets" : 6,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 200, 126, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-60",
				"maxclass" : "newobj",
				"text" : "loadbang",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["bang"],
				"patching_rect" : [ 680, 236, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-61",
				"maxclass" : "newobj",
				"text" : "metro 100",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["bang"],
				"patching_rect" : [ 680, 272, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-62",
				"maxclass" : "newobj",
				"text" : "gate 1 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 308, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-63",
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
				"id" : "obj-64",
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
				"id" : "obj-65",
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
				"id" : "obj-66",
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
				"id" : "obj-67",
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
				"id" : "obj-68",
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
				"id" : "obj-69",
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
				"id" : "obj-70",
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
				"id" : "obj-71",
				"maxclass" : "newobj",
				"text" : "gate 1 1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 344, 56, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-72",
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
				"id" : "obj-73",
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
				"id" : "obj-74",
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
				"id" : "obj-75",
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
				"id" : "obj-76",
				"maxclass" : "message",
				"text" : "enable $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 380, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-77",
				"maxclass" : "newobj",
				"text" : "sel 0 1 2",
				"numinlets" : 4,
				"numoutlets" : 4,
				"outlettype" : ["bang", "bang", "bang", ""],
				"patching_rect" : [ 680, 416, 63, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-78",
				"maxclass" : "newobj",
				"text" : "unpack 0 0 0",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["int", "int", "int"],
				"patching_rect" : [ 680, 452, 84, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-79",
				"maxclass" : "message",
				"text" : "1 0 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 488, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-80",
				"maxclass" : "message",
				"text" : "0 1 0",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 524, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-81",
				"maxclass" : "message",
				"text" : "0 0 1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 560, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-82",
				"maxclass" : "newobj",
				"text" : "dbtoa",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 596, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-83",
				"maxclass" : "message",
				"text" : "set nb_steps $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 632, 105, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-84",
				"maxclass" : "message",
				"text" : "set guidance_structure $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 668, 175, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-85",
				"maxclass" : "message",
				"text" : "set guidance_timbre $1",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 680, 704, 154, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-86",
				"maxclass" : "newobj",
				"text" : "/ 100.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 740, 42, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-87",
				"maxclass" : "newobj",
				"text" : "!- 1.",
				"numinlets" : 2,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 776, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-88",
				"maxclass" : "newobj",
				"text" : "dbtoa",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : ["float"],
				"patching_rect" : [ 680, 812, 40, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-89",
				"maxclass" : "umenu",
				"numinlets" : 1,
				"numoutlets" : 3,
				"outlettype" : ["int", "", ""],
				"patching_rect" : [ 1120, 20, 100, 20 ],
				"presentation" : 1,
				"presentation_rect" : [326, 4, 100, 20],
				"items" : ["Init", ",", "Light CPU", ",", "Strong Timbre", ",", "Keep Structure", ",", "Cello", ",", "Drums"],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-90",
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
				"id" : "obj-91",
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
				"id" : "obj-92",
				"maxclass" : "newobj",
				"text" : "pattrstorage after.audio.demo_presets @autorestore 1 @savemode 0",
				"numinlets" : 1,
				"numoutlets" : 1,
				"outlettype" : [""],
				"patching_rect" : [ 1120, 128, 448, 22 ],
				"parameter_enable" : 0
			}
		},
{
			"box" : {
				"id" : "obj-93",
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
				"source" : [ "obj-89", 0 ],
				"destination" : [ "obj-90", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-90", 0 ],
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
				"source" : [ "obj-16", 0 ],
				"destination" : [ "obj-17", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-16", 0 ],
				"destination" : [ "obj-17", 1 ]
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
				"source" : [ "obj-22", 0 ],
				"destination" : [ "obj-23", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-23", 0 ],
				"destination" : [ "obj-20", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-20", 0 ],
				"destination" : [ "obj-24", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-24", 0 ],
				"destination" : [ "obj-26", 1 ]
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
				"destination" : [ "obj-19", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-19", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-1", 0 ],
				"destination" : [ "obj-27", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-19", 0 ],
				"destination" : [ "obj-28", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-28", 0 ],
				"destination" : [ "obj-16", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-27", 0 ],
				"destination" : [ "obj-16", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-19", 0 ],
				"destination" : [ "obj-29", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-16", 0 ],
				"destination" : [ "obj-30", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-31", 0 ],
				"destination" : [ "obj-1", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-32", 0 ],
				"destination" : [ "obj-1", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-33", 0 ],
				"destination" : [ "obj-1", 3 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-34", 0 ],
				"destination" : [ "obj-1", 4 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-35", 0 ],
				"destination" : [ "obj-1", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-36", 0 ],
				"destination" : [ "obj-1", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-37", 0 ],
				"destination" : [ "obj-1", 3 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-38", 0 ],
				"destination" : [ "obj-1", 4 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-39", 0 ],
				"destination" : [ "obj-1", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-40", 0 ],
				"destination" : [ "obj-1", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-41", 0 ],
				"destination" : [ "obj-1", 3 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-42", 0 ],
				"destination" : [ "obj-1", 4 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-10", 0 ],
				"destination" : [ "obj-43", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-43", 0 ],
				"destination" : [ "obj-35", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-11", 0 ],
				"destination" : [ "obj-44", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-44", 0 ],
				"destination" : [ "obj-36", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-12", 0 ],
				"destination" : [ "obj-45", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-45", 0 ],
				"destination" : [ "obj-37", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-13", 0 ],
				"destination" : [ "obj-46", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-46", 0 ],
				"destination" : [ "obj-38", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-47", 0 ],
				"destination" : [ "obj-48", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-48", 0 ],
				"destination" : [ "obj-31", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-48", 1 ],
				"destination" : [ "obj-32", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-48", 2 ],
				"destination" : [ "obj-33", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-48", 3 ],
				"destination" : [ "obj-34", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-8", 0 ],
				"destination" : [ "obj-51", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-51", 0 ],
				"destination" : [ "obj-49", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-9", 0 ],
				"destination" : [ "obj-52", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-52", 0 ],
				"destination" : [ "obj-49", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 0 ],
				"destination" : [ "obj-39", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 1 ],
				"destination" : [ "obj-40", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 2 ],
				"destination" : [ "obj-41", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 3 ],
				"destination" : [ "obj-42", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-43", 0 ],
				"destination" : [ "obj-50", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-44", 0 ],
				"destination" : [ "obj-50", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-45", 0 ],
				"destination" : [ "obj-50", 2 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-46", 0 ],
				"destination" : [ "obj-50", 3 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-54", 0 ],
				"destination" : [ "obj-55", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-55", 0 ],
				"destination" : [ "obj-53", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-53", 0 ],
				"destination" : [ "obj-56", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-56", 0 ],
				"destination" : [ "obj-8", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-8", 0 ],
				"destination" : [ "obj-57", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-57", 0 ],
				"destination" : [ "obj-54", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-53", 1 ],
				"destination" : [ "obj-58", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-58", 0 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-9", 0 ],
				"destination" : [ "obj-59", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-59", 0 ],
				"destination" : [ "obj-54", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-60", 0 ],
				"destination" : [ "obj-61", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-61", 0 ],
				"destination" : [ "obj-62", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-62", 0 ],
				"destination" : [ "obj-63", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 0 ],
				"destination" : [ "obj-63", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-63", 0 ],
				"destination" : [ "obj-64", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-64", 0 ],
				"destination" : [ "obj-10", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-62", 0 ],
				"destination" : [ "obj-65", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 1 ],
				"destination" : [ "obj-65", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-65", 0 ],
				"destination" : [ "obj-66", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-66", 0 ],
				"destination" : [ "obj-11", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-62", 0 ],
				"destination" : [ "obj-67", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 2 ],
				"destination" : [ "obj-67", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-67", 0 ],
				"destination" : [ "obj-68", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-68", 0 ],
				"destination" : [ "obj-12", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-62", 0 ],
				"destination" : [ "obj-69", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-49", 3 ],
				"destination" : [ "obj-69", 0 ]
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
				"destination" : [ "obj-13", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-61", 0 ],
				"destination" : [ "obj-71", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 0 ],
				"destination" : [ "obj-72", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-50", 0 ],
				"destination" : [ "obj-72", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-72", 0 ],
				"destination" : [ "obj-73", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-73", 0 ],
				"destination" : [ "obj-8", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-72", 0 ],
				"destination" : [ "obj-57", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-71", 0 ],
				"destination" : [ "obj-74", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-50", 1 ],
				"destination" : [ "obj-74", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-74", 0 ],
				"destination" : [ "obj-75", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-75", 0 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-74", 0 ],
				"destination" : [ "obj-59", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-2", 0 ],
				"destination" : [ "obj-76", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-76", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-76", 0 ],
				"destination" : [ "obj-48", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-76", 0 ],
				"destination" : [ "obj-49", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-76", 0 ],
				"destination" : [ "obj-50", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-3", 0 ],
				"destination" : [ "obj-77", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 0 ],
				"destination" : [ "obj-79", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-79", 0 ],
				"destination" : [ "obj-78", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 1 ],
				"destination" : [ "obj-80", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-80", 0 ],
				"destination" : [ "obj-78", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 2 ],
				"destination" : [ "obj-81", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-81", 0 ],
				"destination" : [ "obj-78", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 0 ],
				"destination" : [ "obj-31", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 0 ],
				"destination" : [ "obj-32", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 0 ],
				"destination" : [ "obj-33", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 0 ],
				"destination" : [ "obj-34", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 1 ],
				"destination" : [ "obj-35", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 1 ],
				"destination" : [ "obj-36", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 1 ],
				"destination" : [ "obj-37", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 1 ],
				"destination" : [ "obj-38", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 1 ],
				"destination" : [ "obj-71", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 1 ],
				"destination" : [ "obj-10", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 1 ],
				"destination" : [ "obj-11", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 1 ],
				"destination" : [ "obj-12", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 1 ],
				"destination" : [ "obj-13", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 2 ],
				"destination" : [ "obj-39", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 2 ],
				"destination" : [ "obj-40", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 2 ],
				"destination" : [ "obj-41", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 2 ],
				"destination" : [ "obj-42", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-78", 2 ],
				"destination" : [ "obj-62", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 2 ],
				"destination" : [ "obj-8", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-77", 2 ],
				"destination" : [ "obj-9", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-4", 0 ],
				"destination" : [ "obj-82", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-82", 0 ],
				"destination" : [ "obj-19", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-5", 0 ],
				"destination" : [ "obj-83", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-83", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-6", 0 ],
				"destination" : [ "obj-84", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-84", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-7", 0 ],
				"destination" : [ "obj-85", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-85", 0 ],
				"destination" : [ "obj-1", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-14", 0 ],
				"destination" : [ "obj-86", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-86", 0 ],
				"destination" : [ "obj-27", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-86", 0 ],
				"destination" : [ "obj-87", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-87", 0 ],
				"destination" : [ "obj-28", 1 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-15", 0 ],
				"destination" : [ "obj-88", 0 ]
			}
		},
{
			"patchline" : {
				"source" : [ "obj-88", 0 ],
				"destination" : [ "obj-16", 1 ]
			}
		}
		],
		"parameters" : {
			"obj-2" : [ "On", "On", 0 ],
			"obj-3" : [ "Timbre Source", "Source", 0 ],
			"obj-4" : [ "Input Gain", "In", 0 ],
			"obj-5" : [ "Steps", "Steps", 0 ],
			"obj-6" : [ "Guidance Structure", "Struct.", 0 ],
			"obj-7" : [ "Guidance Timbre", "Timbre", 0 ],
			"obj-8" : [ "Map X", "X", 0 ],
			"obj-9" : [ "Map Y", "Y", 0 ],
			"obj-10" : [ "Timbre 1", "T1", 0 ],
			"obj-11" : [ "Timbre 2", "T2", 0 ],
			"obj-12" : [ "Timbre 3", "T3", 0 ],
			"obj-13" : [ "Timbre 4", "T4", 0 ],
			"obj-14" : [ "Dry/Wet", "Mix", 0 ],
			"obj-15" : [ "Output Gain", "Out", 0 ],
			"parameterbanks" : {},
			"inherited_shortname" : 1
		},
		"dependency_cache" : [
			{
				"name" : "after.audio.demo_presets.json",
				"bootpath" : ".",
				"type" : "JSON",
				"implicit" : 1
			},
			{
				"name" : "after.audio.demo_map.png",
				"bootpath" : ".",
				"type" : "PNG",
				"implicit" : 1
			}
		],
		"autosave" : 0
	}
}
