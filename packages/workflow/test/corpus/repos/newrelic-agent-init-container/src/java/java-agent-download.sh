#!/bin/sh
echo java
