package io.vane.testkit;
